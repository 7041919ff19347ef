import { OpenAPIObject } from '@nestjs/swagger';
import { errorResponse } from './api-error.view';

// Methods whose requests Fastify reads a body of, whatever the route.
const BODY_METHODS = ['post', 'put', 'patch', 'delete'] as const;

const PARSER_ANSWERS: Record<number, string> = {
  400: 'Invalid input: a body that is not a JSON object, or nested too deeply; on routes with a body, `details` names each field to fix.',
  413: 'Request body too large.',
  415: 'The request body is not application/json.',
};

/**
 * Adds to the document what holds for every route because it is global in the app, so no route
 * can forget it: the JSON body parser answers 400, 413 or 415 before any route runs, and the
 * validation pipe (forbidNonWhitelisted) refuses fields a request body does not name.
 */
export function documentGlobalRules(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths)) {
    for (const method of BODY_METHODS) {
      const operation = item[method];
      if (!operation) continue;
      operation.responses = Object.fromEntries(
        Object.entries({
          ...mapValues(PARSER_ANSWERS, (description, status) => errorResponse(status, description)),
          ...operation.responses,
        }).sort(([a], [b]) => a.localeCompare(b)),
      );
      const body = operation.requestBody;
      const ref = body && 'content' in body && body.content['application/json']?.schema;
      if (ref && '$ref' in ref) {
        const schema = document.components?.schemas?.[ref.$ref.split('/').pop() ?? ''];
        if (schema && !('$ref' in schema)) schema.additionalProperties = false;
      }
    }
  }
  return document;
}

function mapValues<T, U>(record: Record<number, T>, map: (value: T, key: number) => U) {
  return Object.fromEntries(
    Object.entries(record).map(([key, value]) => [key, map(value, Number(key))]),
  );
}
