import { imageSize } from './image-size';
import { isMultipartBody } from './multipart';

/** The parameters of `POST /v1/videos`, from JSON or multipart alike. */
export interface CreateParams {
  prompt: string;
  model: string;
  seconds: string;
  size: string;
  /** The bytes of `input_reference` when it was a file or a data URL (http URLs are not fetched). */
  image?: Buffer;
}

export interface CreateError {
  message: string;
  param: string | null;
  code: string | null;
}

const SECONDS = ['4', '8', '12'];
const SIZES: Record<string, string[]> = {
  'sora-2': ['720x1280', '1280x720'],
  'sora-2-pro': ['720x1280', '1280x720', '1024x1792', '1792x1024'],
};

export const INVALID_JSON =
  "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix this, please contact us through our help center at help.openai.com.)";

/** Validates as OpenAI does: 400 `invalid_request_error` naming the parameter. */
export function parseCreate(body: unknown): { params: CreateParams } | { error: CreateError } {
  const fields = fieldsOf(body);
  if (!fields) return { error: { message: INVALID_JSON, param: null, code: null } };
  const prompt = fields['prompt'];
  if (prompt === undefined || prompt === null || prompt === '') {
    return {
      error: {
        message: "Missing required parameter: 'prompt'.",
        param: 'prompt',
        code: 'missing_required_parameter',
      },
    };
  }
  for (const name of ['prompt', 'model', 'seconds', 'size']) {
    const value = fields[name];
    if (value !== undefined && typeof value !== 'string') {
      const expected = name === 'seconds' ? "one of '4', '8', or '12'" : 'a string';
      const message = `Invalid type for '${name}': expected ${expected}, but got ${typeName(value)} instead.`;
      return { error: { message, param: name, code: 'invalid_type' } };
    }
  }
  const model = (fields['model'] as string | undefined) ?? 'sora-2';
  const seconds = (fields['seconds'] as string | undefined) ?? '4';
  const size = (fields['size'] as string | undefined) ?? '720x1280';
  const error =
    invalidValue('model', model, Object.keys(SIZES)) ??
    invalidValue('seconds', seconds, SECONDS) ??
    invalidValue('size', size, SIZES[model]);
  if (error) return { error };
  const image = referenceImage(body, fields);
  const dimensions = image && imageSize(image);
  if (dimensions && `${dimensions.width}x${dimensions.height}` !== size) {
    return {
      error: {
        message: 'Inpaint image must match the requested width and height',
        param: null,
        code: null,
      },
    };
  }
  return { params: { prompt: prompt as string, model, seconds, size, image } };
}

export function invalidValue(
  param: string,
  value: string,
  allowed: string[],
): CreateError | undefined {
  if (allowed.includes(value)) return undefined;
  const quoted = allowed.map((v) => `'${v}'`);
  const last = quoted.pop();
  const list =
    quoted.length > 1 ? `${quoted.join(', ')}, and ${last}` : [...quoted, last].join(' and ');
  return {
    message: `Invalid value: '${value}'. Supported values are: ${list}.`,
    param,
    code: 'invalid_value',
  };
}

function fieldsOf(body: unknown): Record<string, unknown> | undefined {
  if (isMultipartBody(body)) return body.fields;
  if (typeof body === 'object' && body !== null && !Array.isArray(body))
    return body as Record<string, unknown>;
  return undefined;
}

function referenceImage(body: unknown, fields: Record<string, unknown>): Buffer | undefined {
  if (isMultipartBody(body) && body.files['input_reference'])
    return body.files['input_reference'].data;
  const reference = fields['input_reference'];
  const url =
    fields['input_reference[image_url]'] ??
    (typeof reference === 'object' && reference !== null
      ? (reference as { image_url?: unknown }).image_url
      : reference);
  const match = typeof url === 'string' ? /^data:[^;,]*;base64,([\s\S]*)$/.exec(url) : null;
  return match ? Buffer.from(match[1], 'base64') : undefined;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a decimal';
  if (typeof value === 'boolean') return 'a boolean';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
