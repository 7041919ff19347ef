import { Logger } from '@nestjs/common';
import { NotFoundError } from '../common/errors/domain-errors';
import { toolFailure } from './tool-results';

describe('toolFailure', () => {
  const logger = { error: jest.fn() } as unknown as Logger & { error: jest.Mock };

  beforeEach(() => logger.error.mockClear());

  it('answers a domain error with its sentence, for the agent to act on', () => {
    expect(
      toolFailure(new NotFoundError('There is no video with this id.'), logger, 'req-1'),
    ).toEqual({
      content: [{ type: 'text', text: 'There is no video with this id.' }],
      isError: true,
    });
    expect(logger.error).not.toHaveBeenCalled();
  });

  it('keeps the message of any other error to the log, which the request id leads to', () => {
    const result = toolFailure(new Error('SQLITE_BUSY: database is locked'), logger, 'req-1');

    expect(result).toEqual({
      content: [
        {
          type: 'text',
          text: 'Something went wrong on our side. Please try again. (request id req-1)',
        },
      ],
      isError: true,
    });
    expect(logger.error).toHaveBeenCalledWith(
      expect.objectContaining({
        requestId: 'req-1',
        err: expect.objectContaining({ message: 'SQLITE_BUSY: database is locked' }),
      }),
    );
  });
});
