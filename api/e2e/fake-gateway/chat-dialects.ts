import { ClipShape } from './clips';
import { DIMENSIONS, Orientation } from './media';

/**
 * The chat-completions gateways the fake can be, each as its source reads (section C of the
 * protocols page). One fake gateway speaks one dialect of one build, as a deployment does.
 */
export type ChatDialect =
  | 'sora2api'
  | 'sora2api-legacy'
  | 'modified-sora2api'
  | 'grok2api-v1'
  | 'grok2api-v2';

/** grok2api v2's `features.video_format`: what its answer holds. */
export type GrokVideoFormat = 'grok_url' | 'local_url' | 'grok_html' | 'local_html';

export interface ChatDialectOptions {
  /** Default `sora2api`, the current builds. */
  dialect?: ChatDialect;
  /** The build's commit date, YYYY-MM-DD; default: the dialect's newest (NEWEST_BUILD). */
  build?: string;
  /** grok2api's public URL setting (v1 `base_url`, v2 `app_url`); unset (its default): relative links. */
  publicUrl?: boolean;
  /** grok2api v2 only; default `grok_url`. */
  videoFormat?: GrokVideoFormat;
}

export interface ChatSettings {
  dialect: ChatDialect;
  build: string;
  publicUrl: boolean;
  videoFormat: GrokVideoFormat;
}

/** The last build each dialect's facts were read from. */
export const NEWEST_BUILD: Record<ChatDialect, string> = {
  sora2api: '2026-03-01',
  'sora2api-legacy': '2025-12-23',
  'modified-sora2api': '2026-01-14',
  'grok2api-v1': '2026-01-10',
  'grok2api-v2': '2026-07-12',
};

export function chatSettings(options: ChatDialectOptions = {}): ChatSettings {
  const dialect = options.dialect ?? 'sora2api';
  if (!(dialect in NEWEST_BUILD))
    throw new Error(
      `fake gateway: no chat dialect "${dialect}" (${Object.keys(NEWEST_BUILD).join(', ')})`,
    );
  const build = options.build ?? NEWEST_BUILD[dialect];
  if (!/^\d{4}-\d{2}-\d{2}$/.test(build))
    throw new Error(`fake gateway: build must be a date (YYYY-MM-DD), got "${build}"`);
  return {
    dialect,
    build,
    publicUrl: options.publicUrl ?? false,
    videoFormat: options.videoFormat ?? 'grok_url',
  };
}

/** Whether the build is from `date` or later (dates compare as text). */
export function builtSince(settings: ChatSettings, date: string): boolean {
  return settings.build >= date;
}

/** Sora's clip size for an orientation. */
export function soraShape(orientation: Orientation, seconds: number): ClipShape {
  return { ...DIMENSIONS[orientation], seconds };
}

/**
 * The video a sora-family model name makes, or null for a name the build does not know (its
 * answer: 500 `400: Invalid model: …`).
 */
export function soraModelShape(settings: ChatSettings, model: string): ClipShape | null {
  switch (settings.dialect) {
    case 'sora2api':
      return currentSoraModel(model);
    case 'sora2api-legacy':
      return legacySoraModel(settings, model);
    case 'modified-sora2api':
      return modifiedSoraModel(model);
    default:
      return null;
  }
}

/**
 * sora2api's MODEL_CONFIG of today's builds (video models only), with the older names many
 * deployments still list. A name without a length makes the server setting's length, 10 s.
 */
function currentSoraModel(model: string): ClipShape | null {
  const current = /^sora2(?:pro|pro-hd)?-(portrait|landscape)-(10|15|25)s$/.exec(model);
  if (current && !(model.startsWith('sora2pro-hd-') && current[2] === '25'))
    return soraShape(current[1] as Orientation, Number(current[2]));
  const older = /^sora-video-(portrait|landscape)(?:-(10|15)s)?$/.exec(model);
  return older ? soraShape(older[1] as Orientation, Number(older[2] ?? 10)) : null;
}

/**
 * C.1: from 2025-11-16 `sora-video-{portrait|landscape}-{10|15}s`, and `sora-video-10s` /
 * `-15s` for landscape; the first build (2025-11-08) `sora-video`, `sora-video-landscape`,
 * `sora-video-portrait`, the length from a server setting (10 s here).
 */
function legacySoraModel(settings: ChatSettings, model: string): ClipShape | null {
  if (!builtSince(settings, '2025-11-16')) {
    const first = /^sora-video(?:-(portrait|landscape))?$/.exec(model);
    return first ? soraShape((first[1] ?? 'landscape') as Orientation, 10) : null;
  }
  const named = /^sora-video-(?:(portrait|landscape)-)?(10|15)s$/.exec(model);
  return named ? soraShape((named[1] ?? 'landscape') as Orientation, Number(named[2])) : null;
}

/** C.2: `sora-video-` or `sora2-` + `[landscape-|portrait-]{10|15|25}s`, and `sora-2`. */
function modifiedSoraModel(model: string): ClipShape | null {
  if (model === 'sora-2') return soraShape('landscape', 10);
  const named = /^(?:sora-video|sora2)-(?:(portrait|landscape)-)?(10|15|25)s$/.exec(model);
  return named ? soraShape((named[1] ?? 'landscape') as Orientation, Number(named[2])) : null;
}

/** Every model a sora-family build lists on `GET /v1/models`, with its orientation. */
export function soraModels(settings: ChatSettings): Record<string, Orientation> {
  const names: string[] = [];
  for (const orientation of ['landscape', 'portrait']) {
    for (const seconds of ['10', '15', '25']) {
      names.push(`sora2-${orientation}-${seconds}s`, `sora2pro-${orientation}-${seconds}s`);
      names.push(`sora2pro-hd-${orientation}-${seconds}s`, `sora-video-${orientation}-${seconds}s`);
    }
    names.push(`sora-video-${orientation}`);
  }
  names.push('sora-video', 'sora-video-10s', 'sora-video-15s', 'sora-2');
  const models: Record<string, Orientation> = {};
  for (const name of names) {
    const shape = soraModelShape(settings, name);
    if (shape) models[name] = shape.width > shape.height ? 'landscape' : 'portrait';
  }
  return models;
}
