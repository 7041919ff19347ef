import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/** The parts of an OpenAPI 3.0 document the checks read. */
export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, Schema>;
    securitySchemes?: Record<string, Record<string, string>>;
  };
}

export interface Operation {
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, MediaType> };
  responses: Record<string, { description?: string; content?: Record<string, MediaType> }>;
  security?: Record<string, string[]>[];
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
  explode?: boolean;
}

export type Schema = { [keyword: string]: unknown };
type MediaType = { schema?: Schema };

/** One request the e2e suite sent and the answer it got. */
export interface Exchange {
  method: string;
  /** Path and query string, as sent. */
  path: string;
  /** Lower-case names. */
  requestHeaders: Record<string, string | string[] | number | undefined>;
  /** The JSON body sent (parsed), or undefined when none was. */
  requestBody: unknown;
  status: number;
  /** Lower-case names. */
  responseHeaders: Record<string, string | string[] | undefined>;
  /** The answer's body: parsed JSON for a JSON answer, its bytes or text otherwise. */
  responseBody: unknown;
  responseHasBody: boolean;
}

export const DOCUMENT_PATH = '/api/docs-json';
/** The security scheme of API keys, and how a request carries one. */
const API_KEY_SCHEME = 'api-key';
const API_KEY_BEARER = /^bearer\s+vg_/i;
const DOC_ID = 'openapi';
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const NOT_API = /^\/api\/docs(?:[/-]|$)|^\/(?!api\/|v1(?:\/|$))/;
/** The OpenAI-compatible API, which answers errors in OpenAI's shape (`{error: {...}}`). */
const OPENAI_API = /^\/v1(?:\/|$)/;

/** The operation of a document a request reaches, with its path template and path values. */
interface Route {
  template: string;
  operation: Operation;
  pathValues: Record<string, string>;
}

/**
 * Compares requests and answers with an OpenAPI document. OpenAPI 3.0 schemas become JSON
 * Schema for Ajv (`nullable` is a union with null), and every object schema is read as closed:
 * a field the document does not name is a mismatch, in a request body (the validation pipe
 * refuses it) as in an answer (clients cannot know it exists).
 */
export class OpenApiCheck {
  private readonly ajv = new Ajv({ strict: false, allErrors: true, logger: false });
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly routes: { method: string; template: string; pattern: RegExp }[];

  constructor(readonly document: OpenApiDocument) {
    addFormats(this.ajv);
    // Annotations only: any string is a password, any body binary.
    this.ajv.addFormat('password', true).addFormat('binary', true);
    this.ajv.addSchema(toJsonSchema({ components: document.components }) as object, DOC_ID);
    this.routes = Object.entries(document.paths)
      .flatMap(([template, operations]) =>
        Object.keys(operations)
          .filter((method) => HTTP_METHODS.includes(method))
          .map((method) => ({
            method,
            template,
            pattern: new RegExp(
              `^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, '(?<$1>[^/]+)')}$`,
            ),
          })),
      )
      // A literal segment wins over a parameter: /api/jobs/stream is not /api/jobs/{id}.
      .sort((a, b) => a.template.split('{').length - b.template.split('{').length);
  }

  /** The operation `method path` reaches, or undefined when the document has none. */
  route(method: string, pathname: string): Route | undefined {
    for (const route of this.routes) {
      const match = route.method === method.toLowerCase() && route.pattern.exec(pathname);
      if (match) {
        return {
          template: route.template,
          operation: this.document.paths[route.template][route.method],
          pathValues: { ...match.groups },
        };
      }
    }
    return undefined;
  }

  /** Validates `value` against a schema of the document; the failures, in words. */
  validate(schema: Schema, value: unknown, name: string): string[] {
    const key = JSON.stringify(schema);
    let validator = this.validators.get(key);
    if (!validator) {
      validator = this.ajv.compile(toJsonSchema(schema) as object);
      this.validators.set(key, validator);
    }
    return validator(value) ? [] : describe(validator.errors ?? [], name);
  }

  /**
   * What in this exchange the document does not describe. The request is checked only when the
   * route accepted it (an answer below 400): requests refused on purpose may break the document.
   * The answer is always checked: its status must be documented, and a JSON body must match the
   * schema documented for that status.
   */
  check(exchange: Exchange): string[] {
    const url = new URL(exchange.path, 'http://api');
    if (NOT_API.test(url.pathname)) return [];
    const route = this.route(exchange.method, url.pathname);
    if (!route) {
      // Unknown routes must still answer in the contract's error body (OpenAI's on /v1).
      const errorView = OPENAI_API.test(url.pathname) ? 'OpenAiErrorView' : 'ApiErrorView';
      return exchange.status === 404 || exchange.status === 405
        ? this.validate(
            { $ref: `#/components/schemas/${errorView}` },
            exchange.responseBody,
            'answer body',
          )
        : [`${exchange.method} ${url.pathname} is not in the document.`];
    }
    return [
      ...(exchange.status < 400 ? this.checkRequest(route, url, exchange) : []),
      ...this.checkAnswer(route, exchange),
    ];
  }

  private checkRequest(route: Route, url: URL, exchange: Exchange): string[] {
    const { operation } = route;
    const problems = this.checkParameters(route, url, exchange.requestHeaders);
    const body = operation.requestBody;
    if (exchange.requestBody === undefined) {
      if (body?.required) problems.push('the request body is required but none was sent.');
    } else {
      const type = mediaType(exchange.requestHeaders['content-type']) || 'application/json';
      const schema = body?.content[type]?.schema;
      if (!schema)
        problems.push(`a ${type} request body was sent, but the document describes none.`);
      else problems.push(...this.validate(schema, exchange.requestBody, 'request body'));
    }
    const headers = exchange.requestHeaders;
    if ((operation.security ?? []).length > 0 && !headers['authorization'] && !headers['cookie']) {
      problems.push(
        'the document says this route needs a session, but it was accepted without one.',
      );
    }
    const sentKey = API_KEY_BEARER.test(String(headers['authorization'] ?? ''));
    if (sentKey && !(operation.security ?? []).some((scheme) => API_KEY_SCHEME in scheme)) {
      problems.push(
        `the route accepted an API key, but the document does not list the ${API_KEY_SCHEME} scheme for it.`,
      );
    }
    return problems;
  }

  /** Path, query and header parameters, read as the document says they are sent. */
  private checkParameters(route: Route, url: URL, headers: Exchange['requestHeaders']): string[] {
    const parameters = route.operation.parameters ?? [];
    const problems: string[] = [];
    for (const parameter of parameters) {
      const values =
        parameter.in === 'path'
          ? [decode(route.pathValues[parameter.name])]
          : parameter.in === 'query'
            ? url.searchParams.getAll(parameter.name)
            : parameter.in === 'header'
              ? headerValues(headers[parameter.name.toLowerCase()])
              : [];
      if (values.length === 0) {
        if (parameter.required)
          problems.push(`the required ${parameter.in} parameter ${parameter.name} is missing.`);
        continue;
      }
      const schema = parameter.schema ?? {};
      problems.push(
        ...this.validate(
          schema,
          coerce(values, this.resolve(schema), parameter, this),
          `${parameter.in} parameter ${parameter.name}`,
        ),
      );
    }
    const documented = new Set(parameters.filter((p) => p.in === 'query').map((p) => p.name));
    for (const name of new Set(url.searchParams.keys())) {
      if (!documented.has(name)) problems.push(`the query parameter ${name} is not documented.`);
    }
    return problems;
  }

  private checkAnswer(route: Route, exchange: Exchange): string[] {
    const { responses } = route.operation;
    const status = String(exchange.status);
    const answer = responses[status] ?? responses[`${status[0]}XX`] ?? responses['default'];
    if (!answer) {
      return [
        `the answer ${status} is not documented (documented: ${Object.keys(responses).join(', ')}).`,
      ];
    }
    if (!exchange.responseHasBody) return [];
    const type = mediaType(exchange.responseHeaders['content-type']);
    const content = answer.content ?? {};
    if (!(type in content)) {
      const documented = Object.keys(content).join(', ') || 'no body';
      return [
        `the answer ${status} has a ${type || 'typeless'} body; the document says ${documented}.`,
      ];
    }
    const schema = content[type].schema;
    return schema && type === 'application/json'
      ? this.validate(schema, exchange.responseBody, `answer ${status} body`)
      : [];
  }

  /** The schema a `$ref` names (one level: parameters refer to enums). */
  resolve(schema: Schema): Schema {
    const ref = schema['$ref'];
    return typeof ref === 'string'
      ? (this.document.components.schemas[ref.replace('#/components/schemas/', '')] ?? {})
      : schema;
  }
}

/** Query and header values are text: numbers and booleans as the route reads them. */
function coerce(
  values: string[],
  schema: Schema,
  parameter: Parameter,
  check: OpenApiCheck,
): unknown {
  if (schema['type'] === 'array') {
    const items = check.resolve((schema['items'] as Schema | undefined) ?? {});
    // Form style: repeated (explode, the default) or comma-separated (explode: false).
    const parts =
      parameter.explode === false ? values.flatMap((value) => value.split(',')) : values;
    return parts.map((part) => coerceOne(part, items));
  }
  return values.length === 1 ? coerceOne(values[0], schema) : values;
}

function coerceOne(value: string, schema: Schema): unknown {
  switch (schema['type']) {
    case 'integer':
    case 'number':
      return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
    case 'boolean':
      return value === 'true' ? true : value === 'false' ? false : value;
    default:
      return value;
  }
}

/** `multipart/form-data` of `multipart/form-data; boundary=x`. */
function mediaType(header: string | string[] | number | undefined): string {
  return String(header ?? '')
    .split(';')[0]
    .trim()
    .toLowerCase();
}

function headerValues(value: string | string[] | number | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [String(value)];
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function describe(errors: ErrorObject[], name: string): string[] {
  return errors.map((error) => {
    const extra =
      error.keyword === 'additionalProperties'
        ? ` (${(error.params as { additionalProperty: string }).additionalProperty})`
        : error.keyword === 'enum'
          ? ` (${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')})`
          : '';
    return `${name}${error.instancePath} ${error.message}${extra}.`;
  });
}

/**
 * An OpenAPI 3.0 schema as JSON Schema: `nullable` becomes a union with null (so that it holds
 * next to `allOf`), objects with properties are closed, and references point into the document.
 */
export function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (node === null || typeof node !== 'object') return node;
  const { nullable, ...rest } = node as Schema;
  const schema: Schema = {};
  for (const [key, value] of Object.entries(rest)) {
    if (key === '$ref' && typeof value === 'string' && value.startsWith('#/')) {
      schema[key] = `${DOC_ID}${value}`;
    } else if (key === 'properties' || key === 'example' || key === 'examples') {
      schema[key] =
        key === 'properties'
          ? Object.fromEntries(
              Object.entries(value as Schema).map(([name, child]) => [name, toJsonSchema(child)]),
            )
          : value;
    } else {
      schema[key] = toJsonSchema(value);
    }
  }
  if (schema['properties'] && schema['additionalProperties'] === undefined) {
    schema['additionalProperties'] = false;
  }
  return nullable === true ? { anyOf: [{ type: 'null' }, schema] } : schema;
}

/**
 * The check for the document the app at `baseUrl` serves, loaded once per test file (Jest gives
 * each file its own modules): the document does not depend on the app's settings.
 */
let loaded: Promise<OpenApiCheck> | undefined;
export function documentCheck(baseUrl: string): Promise<OpenApiCheck> {
  loaded ??= fetch(`${baseUrl}${DOCUMENT_PATH}`).then(async (response) => {
    if (!response.ok) throw new Error(`GET ${DOCUMENT_PATH} answered ${response.status}`);
    return new OpenApiCheck((await response.json()) as OpenApiDocument);
  });
  loaded.catch(() => (loaded = undefined));
  return loaded;
}
