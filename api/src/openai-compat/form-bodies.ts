import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { errorCodes, type FastifyInstance, type FastifyRequest } from 'fastify';
import { IncomingMessage } from 'node:http';
import { MalformedBodyError } from '../common/errors/domain-errors';
import { isOpenAiPath } from '../common/errors/openai-error-body';
import { AppConfig } from '../config/app-config';

const FORM_TYPE = 'multipart/form-data';

/** A file field of a form: only its name and size reach validation, never its bytes. */
export interface FormFile {
  filename: string;
  bytes: number;
}

/**
 * Reads multipart/form-data bodies on /v1, as the `openai` package sends every create
 * (`videos.create` always posts a form). Elsewhere such bodies keep their 415: the rest of the API
 * takes JSON only. Fields become strings, file fields a FormFile, a repeated field a list, so the
 * DTO's validation names what is wrong exactly as it does for JSON.
 */
@Injectable()
export class OpenAiFormBodies implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addContentTypeParser(FORM_TYPE, (request: FastifyRequest, payload: IncomingMessage) =>
      this.parse(request, payload),
    );
  }

  private async parse(request: FastifyRequest, payload: IncomingMessage): Promise<object> {
    const contentType = String(request.headers['content-type']);
    // Refused before a byte is read, as Fastify refuses a type it has no parser for.
    if (!isOpenAiPath(request.url)) {
      throw new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(FORM_TYPE);
    }
    const body = await readAtMost(payload, request, this.config.bodyLimitBytes);
    const form = await new Response(body, { headers: { 'content-type': contentType } })
      .formData()
      .catch(() => {
        throw new MalformedBodyError('The request body is not a valid multipart/form-data form.');
      });
    return fieldsOf(form);
  }
}

async function readAtMost(
  payload: IncomingMessage,
  request: FastifyRequest,
  limit: number,
): Promise<Uint8Array<ArrayBuffer>> {
  if (Number(request.headers['content-length'] ?? 0) > limit) {
    throw new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of payload as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE();
    chunks.push(chunk);
  }
  // A copy into a plain ArrayBuffer, which is what Response takes.
  return new Uint8Array(Buffer.concat(chunks));
}

/** The form as a plain object: `__proto__` is refused, as the JSON parser refuses it. */
export function fieldsOf(form: FormData): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  form.forEach((value, name) => {
    if (name === '__proto__') {
      throw new MalformedBodyError('The request body must not hold a field named "__proto__".');
    }
    const field: string | FormFile =
      typeof value === 'string' ? value : { filename: value.name, bytes: value.size };
    const earlier = fields[name];
    fields[name] =
      earlier === undefined ? field : [...(Array.isArray(earlier) ? earlier : [earlier]), field];
  });
  return fields;
}
