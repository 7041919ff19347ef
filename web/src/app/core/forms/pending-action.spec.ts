import { HttpErrorResponse } from '@angular/common/http';
import { ErrorCode } from '@vidgen/contracts';
import { PendingAction } from './pending-action';

describe('PendingAction', () => {
  it('is busy only while the action runs', async () => {
    const action = new PendingAction();
    let release!: () => void;
    const running = action.run(() => new Promise<void>((resolve) => (release = resolve)));
    expect(action.busy()).toBe(true);
    release();
    await running;
    expect(action.busy()).toBe(false);
    expect(action.error()).toBeNull();
  });

  it("shows the API's message when the action fails, and clears it on the next try", async () => {
    const action = new PendingAction();
    const refusal = new HttpErrorResponse({
      status: 409,
      error: {
        statusCode: 409,
        error: 'Conflict',
        message: 'This job has already finished.',
        code: ErrorCode.InvalidState,
        requestId: 'r1',
      },
    });
    await action.run(() => Promise.reject(refusal));
    expect(action.error()).toContain('This job has already finished.');
    expect(action.busy()).toBe(false);
    await action.run(() => Promise.resolve());
    expect(action.error()).toBeNull();
  });
});
