export { REPORT_PAGE_CSP, escapeHtml, formFieldOf, renderReceiptPage, renderReportPage, renderStatusPage, type StatusPageResult } from './render';
export type { ReportFieldError, ReportFormValues } from './render';
export { REPORT_FORM_FIELDS, formToReportBody, formToStatusCheck, formToValues, splitUrls } from './form';
export type { ReportFormField } from './form';
