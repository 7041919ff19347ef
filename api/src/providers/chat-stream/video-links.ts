/**
 * The video link in a gateway's answer, in every form of section C of the upstream protocols
 * page: sora2api's `<video src='…'>` (in a markdown fence), grok2api's `<video src="…">` and
 * `<video controls src="…">` (HTML-escaped), the `<source src="…">` inside a `<video>` of the
 * March 2026 grok2api builds, their `![video](…)` of early April, a bare URL, and the relative
 * links grok2api writes while its public URL setting is empty (`/images/…`, `/v1/files/video?id=…`).
 */

const TAG_SOURCE = [
  /<video\b[^>]*?\ssrc\s*=\s*['"]([^'"]+)['"]/i,
  /<source\b[^>]*?\ssrc\s*=\s*['"]([^'"]+)['"]/i,
];
const MARKDOWN_IMAGE = /!\[([^\]]*)\]\(\s*<?([^)\s>]+)>?[^)]*\)/g;
const VIDEO_FILE = /\.(?:mp4|webm|mov)(?:$|[?#])/i;
const FILE_URL =
  /https?:\/\/[^\s'"<>()\]]+?\.(?:mp4|webm|mov)(?:\?[^\s'"<>()\]]*)?(?=$|[\s'"<>()\]])/i;
const HTML_ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&quot;': '"',
  '&#x27;': "'",
  '&#39;': "'",
  '&lt;': '<',
  '&gt;': '>',
};

/**
 * A `<video>` or `<source>` tag, else a markdown video (`![video](…)`, or any picture whose link
 * is a video file), else the first http(s) URL ending in .mp4/.webm/.mov, else the whole content
 * when it is one bare link, absolute or a path (only for a finished answer: a cut stream may have
 * delivered half of it). A path is resolved against `baseUrl`'s origin, where the gateway serves it.
 */
export function findVideoUrl(content: string, finished = true, baseUrl?: string): string | null {
  for (const tag of TAG_SOURCE) {
    const match = tag.exec(content);
    if (match) return resolve(match[1], baseUrl);
  }
  for (const [, alt, link] of content.matchAll(MARKDOWN_IMAGE)) {
    if (/video/i.test(alt) || VIDEO_FILE.test(link)) return resolve(link, baseUrl);
  }
  const file = FILE_URL.exec(content);
  if (file) return resolve(file[0], baseUrl);
  const bare = content.trim();
  if (finished && /^(?:https?:\/\/|\/(?!\/))\S+$/i.test(bare)) return resolve(bare, baseUrl);
  return null;
}

/** An answer holding a picture and no video: grok2api v1's text-to-image reply. */
export function imageAnswer(answer: string): boolean {
  return [...answer.matchAll(MARKDOWN_IMAGE)].length > 0;
}

function resolve(link: string, baseUrl: string | undefined): string | null {
  const unescaped = link.replace(
    /&(?:amp|quot|#x27|#39|lt|gt);/g,
    (entity) => HTML_ENTITIES[entity],
  );
  try {
    const url = new URL(unescaped, baseUrl);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : null;
  } catch {
    return null;
  }
}
