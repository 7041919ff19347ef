import { isLengthFarFromRequest, Orientation, orientationOfSize } from '@vidgen/contracts';

/** What a generation was asked for. */
export interface RequestedShape {
  orientation: Orientation;
  durationSeconds: number;
}

/** What the file is, as probed: the size as players show it (rotation applied). */
export interface FileShape {
  width: number;
  height: number;
  durationSeconds: number;
}

export interface ResultCheck {
  /** The orientation to store: the file's, or the requested one for a square file (neither). */
  orientation: Orientation;
  /** A sentence saying how the file's orientation differs from the request; null when it does not. */
  wrongOrientation: string | null;
  /** The length differs from the request enough to tell people (isLengthFarFromRequest). */
  lengthFar: boolean;
}

const MODEL_SETTINGS: Record<Orientation, string> = {
  [Orientation.Portrait]: 'VIDEO_MODEL_PORTRAIT',
  [Orientation.Landscape]: 'VIDEO_MODEL_LANDSCAPE',
};

/**
 * Compares a generated file with its request. Gateways that read the orientation from somewhere
 * the platform does not set (a model name, an unknown field) answer with their default shape and
 * no error, so the file is the only witness. A square file is wrong for either request: nobody
 * asking for portrait or landscape wants one.
 */
export function checkResult(
  requested: RequestedShape,
  file: FileShape,
  model: string | null,
): ResultCheck {
  const actual = orientationOfSize(file.width, file.height);
  return {
    orientation: actual ?? requested.orientation,
    wrongOrientation:
      actual === requested.orientation
        ? null
        : wrongOrientationMessage(requested.orientation, actual ?? 'square', file, model),
    lengthFar: isLengthFarFromRequest(requested.durationSeconds, file.durationSeconds),
  };
}

function wrongOrientationMessage(
  requested: Orientation,
  actual: Orientation | 'square',
  file: FileShape,
  model: string | null,
): string {
  const made = model ? ` with the model "${model}"` : '';
  return (
    `The video service made a ${actual} video (${file.width}x${file.height})${made} although ` +
    `${requested} was asked for; check the model settings (${MODEL_SETTINGS[requested]}, ` +
    'VIDEO_MODEL_TEMPLATE).'
  );
}

/** A file of another orientation than requested, refused (ORIENTATION_MISMATCH=fail). */
export class WrongOrientationError extends Error {
  readonly code = 'WRONG_ORIENTATION';

  constructor(message: string) {
    super(message);
    this.name = 'WrongOrientationError';
  }
}
