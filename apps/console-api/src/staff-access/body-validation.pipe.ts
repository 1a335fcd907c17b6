import { FieldProblem, hostileBodyProblem, ProblemException } from '@hotline/http';
import { unstorableFields } from '@hotline/persistence';
import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';

const PLAIN = new Set<unknown>([Object, Array, String, Number, Boolean]);

/**
 * Validates staff request bodies typed with a DTO class: unknown fields refused, every broken
 * rule listed as a field error of one 400 problem. Bodies typed `unknown` are checked by their
 * handler (routing rules have their own validator).
 */
@Injectable()
export class BodyValidationPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'body' || !metadata.metatype || PLAIN.has(metadata.metatype)) return value;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new ProblemException('invalid_request', { errors: [{ field: 'body', message: 'field.rule', params: { detail: 'must be a JSON object' } }] });
    }
    // Every app refuses such bodies before any pipe (libs/http refuseHostileBodies); checked here
    // again because class-transformer throws on a nested `constructor`, which would be a 500.
    const hostile = hostileBodyProblem(value);
    if (hostile) throw hostile;
    const broken = unstorableFields(value);
    if (broken.length > 0) {
      throw new ProblemException('invalid_request', {
        errors: broken.map((field) => ({ field, message: 'field.rule', params: { detail: 'must not contain NUL characters or broken Unicode' } })),
      });
    }
    const dto = plainToInstance(metadata.metatype as new () => object, value);
    const errors = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: false });
    if (errors.length > 0) throw new ProblemException('invalid_request', { errors: flatten(errors) });
    return dto;
  }
}

function flatten(errors: ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((detail) => ({ field, message: 'field.rule' as const, params: { detail } }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}
