import { Json } from './json-formats';

/**
 * FastAPI/pydantic v2 validation of sora2api's `ChatCompletionRequest`, enough of it to answer
 * 422 with the very body FastAPI writes: `{"detail":[{"type","loc","msg","input"(,"ctx")}]}`.
 */
export interface PydanticError {
  type: string;
  loc: (string | number)[];
  msg: string;
  input: Json;
  ctx?: Record<string, Json>;
}

export interface ChatRequest {
  model: string;
  messages: { role: string; content: string | Record<string, unknown>[] }[];
  stream: boolean;
}

export function validateChatRequest(body: unknown): {
  value?: ChatRequest;
  errors: PydanticError[];
} {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    const msg = 'Input should be a valid dictionary or object to extract fields from';
    return { errors: [{ type: 'model_attributes_type', loc: ['body'], msg, input: asJson(body) }] };
  }
  const input = body as Record<string, unknown>;
  const errors: PydanticError[] = [];
  if (!('model' in input)) errors.push(missing(['body', 'model'], input));
  else if (typeof input['model'] !== 'string')
    errors.push(stringType(['body', 'model'], input['model']));
  if (!('messages' in input)) errors.push(missing(['body', 'messages'], input));
  else errors.push(...messagesErrors(input['messages']));
  const stream = 'stream' in input ? laxBool(input['stream']) : false;
  if (stream === undefined) errors.push(boolError(input['stream']));
  if (errors.length > 0) return { errors };
  return { value: { ...(input as Omit<ChatRequest, 'stream'>), stream: stream === true }, errors };
}

/** The text and image parts of the last message, as sora2api reads them. */
export function lastMessageParts(request: ChatRequest): { prompt: string; hasImage: boolean } {
  const content = request.messages[request.messages.length - 1]?.content;
  if (typeof content === 'string') return { prompt: content, hasImage: false };
  let prompt = '';
  let hasImage = false;
  for (const part of content ?? []) {
    if (part['type'] === 'text') prompt = String(part['text'] ?? '');
    const url = (part['image_url'] as { url?: unknown } | undefined)?.url;
    // An http(s) image URL is silently ignored: only data:image URLs are uploaded.
    if (part['type'] === 'image_url' && typeof url === 'string' && url.startsWith('data:image'))
      hasImage = true;
  }
  return { prompt, hasImage };
}

function messagesErrors(messages: unknown): PydanticError[] {
  if (!Array.isArray(messages)) {
    return [
      {
        type: 'list_type',
        loc: ['body', 'messages'],
        msg: 'Input should be a valid list',
        input: asJson(messages),
      },
    ];
  }
  const errors: PydanticError[] = [];
  messages.forEach((message: unknown, i) => {
    const loc = ['body', 'messages', i];
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      const msg = 'Input should be a valid dictionary or instance of ChatMessage';
      errors.push({
        type: 'model_type',
        loc,
        msg,
        input: asJson(message),
        ctx: { class_name: 'ChatMessage' },
      });
      return;
    }
    const fields = message as Record<string, unknown>;
    if (!('role' in fields)) errors.push(missing([...loc, 'role'], fields));
    else if (typeof fields['role'] !== 'string')
      errors.push(stringType([...loc, 'role'], fields['role']));
    if (!('content' in fields)) errors.push(missing([...loc, 'content'], fields));
    else errors.push(...contentErrors([...loc, 'content'], fields['content']));
  });
  return errors;
}

/** `Union[str, List[dict]]`: pydantic reports one error per member of the union. */
function contentErrors(loc: (string | number)[], content: unknown): PydanticError[] {
  if (typeof content === 'string') return [];
  const listLoc = [...loc, 'list[dict[any,any]]'];
  const asString = stringType([...loc, 'str'], content);
  if (!Array.isArray(content)) {
    return [
      asString,
      {
        type: 'list_type',
        loc: listLoc,
        msg: 'Input should be a valid list',
        input: asJson(content),
      },
    ];
  }
  const bad = content.flatMap((part: unknown, j) =>
    typeof part === 'object' && part !== null && !Array.isArray(part)
      ? []
      : [
          {
            type: 'dict_type',
            loc: [...listLoc, j],
            msg: 'Input should be a valid dictionary',
            input: asJson(part),
          },
        ],
  );
  return bad.length > 0 ? [asString, ...bad] : [];
}

function missing(loc: (string | number)[], input: Record<string, unknown>): PydanticError {
  return { type: 'missing', loc, msg: 'Field required', input: asJson(input) };
}

function stringType(loc: (string | number)[], input: unknown): PydanticError {
  return { type: 'string_type', loc, msg: 'Input should be a valid string', input: asJson(input) };
}

/** Pydantic's lax bool: true/false, 0/1, and strings such as "yes", "off", "t", "1". */
function laxBool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 0 || value === 1) return value === 1;
  if (typeof value !== 'string') return undefined;
  const text = value.trim().toLowerCase();
  if (['1', 'on', 't', 'true', 'y', 'yes'].includes(text)) return true;
  if (['0', 'off', 'f', 'false', 'n', 'no'].includes(text)) return false;
  return undefined;
}

function boolError(input: unknown): PydanticError {
  return typeof input === 'string'
    ? {
        type: 'bool_parsing',
        loc: ['body', 'stream'],
        msg: 'Input should be a valid boolean, unable to interpret input',
        input,
      }
    : {
        type: 'bool_type',
        loc: ['body', 'stream'],
        msg: 'Input should be a valid boolean',
        input: asJson(input),
      };
}

function asJson(value: unknown): Json {
  return value === undefined ? null : (JSON.parse(JSON.stringify(value)) as Json);
}
