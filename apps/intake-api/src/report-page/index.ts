export {
  CONTENT_TYPES,
  DESCRIPTION_MAX_LENGTH,
  EMAIL_MAX_LENGTH,
  MAX_URLS,
  REPORT_PAGE_CSP,
  escapeHtml,
  formFieldOf,
  renderReceiptPage,
  renderReportPage,
} from './render';
export type { ReportFieldError, ReportFormValues } from './render';
export { REPORT_FORM_FIELDS, formToReportBody, formToValues, splitUrls } from './form';
export type { ReportFormField } from './form';
