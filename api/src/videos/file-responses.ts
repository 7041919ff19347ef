import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiProduces, ApiResponse } from '@nestjs/swagger';

/** The schema of a file answered as its bytes. */
export const BINARY = { type: 'string', format: 'binary' } as const;

/** Documents a route answered by `sendFile`: its types, the Range header, 200 and 206. */
export const ApiRangeContent = (...contentTypes: string[]) =>
  applyDecorators(
    ApiProduces(...contentTypes),
    ApiHeader({
      name: 'Range',
      required: false,
      description:
        'One byte range, e.g. `bytes=0-1023` (206; 416 past the end). Several ranges, or a header that cannot be read, get the whole file.',
      schema: { type: 'string' },
    }),
    ApiResponse({ status: 200, description: 'The whole file.', schema: BINARY }),
    ApiResponse({ status: 206, description: 'The requested byte range.', schema: BINARY }),
  );
