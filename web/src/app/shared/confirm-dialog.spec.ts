import { ApplicationRef } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { accessibleText, getButton, getByRole, getElement, settle } from '../../testing/dom';
import { testProviders } from '../../testing/providers';
import { confirm } from './confirm-dialog';

describe('confirm', () => {
  let answer: Promise<boolean>;

  function dialog(): HTMLElement {
    return getByRole(document, 'dialog', 'Delete endpoint?');
  }

  async function click(button: HTMLButtonElement) {
    button.click();
    await settle(TestBed.inject(ApplicationRef));
  }

  beforeEach(async () => {
    TestBed.configureTestingModule({ providers: testProviders() });
    answer = confirm(TestBed.inject(MatDialog), {
      title: 'Delete endpoint?',
      message: [
        'No more events will be sent to ',
        { code: 'https://hooks.example.com/in' },
        ', and its delivery log goes with it.',
      ],
      confirmLabel: 'Delete endpoint',
    });
    await settle(TestBed.inject(ApplicationRef));
  });

  it('names the dialog by its title and reads the sentence with the name as code', () => {
    expect(accessibleText(getElement(dialog(), 'p'))).toBe(
      'No more events will be sent to https://hooks.example.com/in, and its delivery log goes with it.',
    );
    expect(getElement(dialog(), 'code').textContent).toBe('https://hooks.example.com/in');
  });

  it('answers no on Cancel', async () => {
    await click(getButton(dialog(), 'Cancel'));

    await expect(answer).resolves.toBe(false);
    expect(document.querySelector('[role="dialog"]')).toBeNull();
  });

  it('answers yes on the confirm button', async () => {
    await click(getButton(dialog(), 'Delete endpoint'));

    await expect(answer).resolves.toBe(true);
  });

  it('answers no when closed without a choice, as Escape or a click outside do', async () => {
    TestBed.inject(MatDialog).closeAll();

    await expect(answer).resolves.toBe(false);
  });
});
