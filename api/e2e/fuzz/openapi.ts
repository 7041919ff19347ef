/**
 * The operations of the live OpenAPI document (`GET /api/docs-json`), reduced to what the fuzzer
 * generates requests from: method, path template, parameters and the body's JSON schema.
 */

/** The part of JSON Schema the document uses (as Nest's Swagger plugin writes it). */
export interface Schema {
  type?: string;
  format?: string;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  $ref?: string;
  allOf?: Schema[];
}

export interface Parameter {
  name: string;
  required: boolean;
  schema: Schema;
}

export interface Operation {
  /** `PATCH /api/videos/{id}`: how reports name the operation. */
  id: string;
  method: string;
  /** The template, e.g. `/api/videos/{id}`. */
  path: string;
  pathParams: string[];
  query: Parameter[];
  headers: Parameter[];
  /** The resolved object schema of a JSON body, when the operation takes one. */
  body?: Schema;
  /** Whether the document asks for a bearer token or the session cookie. */
  secured: boolean;
}

interface DocumentParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}

interface DocumentOperation {
  parameters?: DocumentParameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  security?: Record<string, string[]>[];
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, DocumentOperation>>;
  components?: { schemas?: Record<string, Schema> };
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

export function operationsOf(document: OpenApiDocument): Operation[] {
  const resolve = resolver(document);
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!METHODS.includes(method)) continue;
      const parameters = operation.parameters ?? [];
      const byPlace = (place: DocumentParameter['in']) =>
        parameters
          .filter((p) => p.in === place)
          .map((p) => ({
            name: p.name,
            required: p.required === true,
            schema: resolve(p.schema ?? {}),
          }));
      const json = operation.requestBody?.content?.['application/json']?.schema;
      operations.push({
        id: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        pathParams: byPlace('path').map((p) => p.name),
        query: byPlace('query'),
        headers: byPlace('header'),
        body: json ? resolve(json) : undefined,
        secured: (operation.security ?? []).length > 0,
      });
    }
  }
  return operations;
}

/** Inlines `$ref`s and single-entry `allOf`s, which is all the document's schemas nest. */
function resolver(document: OpenApiDocument): (schema: Schema) => Schema {
  const schemas = document.components?.schemas ?? {};
  const resolve = (schema: Schema, seen: string[] = []): Schema => {
    if (schema.$ref) {
      const name = schema.$ref.replace('#/components/schemas/', '');
      const target = schemas[name];
      if (!target || seen.includes(name)) return {};
      return resolve(target, [...seen, name]);
    }
    if (schema.allOf?.length === 1) {
      const { allOf, ...rest } = schema;
      return { ...resolve(allOf[0], seen), ...rest };
    }
    return {
      ...schema,
      ...(schema.items ? { items: resolve(schema.items, seen) } : {}),
      ...(schema.properties
        ? {
            properties: Object.fromEntries(
              Object.entries(schema.properties).map(([key, value]) => [key, resolve(value, seen)]),
            ),
          }
        : {}),
    };
  };
  return (schema) => resolve(schema);
}

/**
 * The operations of the app's own document, as served, but for the OpenAI-compatible /v1 ones:
 * they answer in OpenAI's error shape, which the oracles do not read (openai-compat.e2e-spec.ts
 * drives them through the `openai` client instead).
 */
export async function loadOperations(baseUrl: string): Promise<Operation[]> {
  const response = await fetch(`${baseUrl}/api/docs-json`);
  if (response.status !== 200) {
    throw new Error(`GET /api/docs-json answered ${response.status}: ${await response.text()}`);
  }
  return operationsOf((await response.json()) as OpenApiDocument).filter(
    (operation) => !operation.path.startsWith('/v1/'),
  );
}
