import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { downloadResult } from './upstream/safe-download';

/**
 * The port that copies a provider's result URL into a job's work folder. Upstream links
 * expire, so the file is copied at once; unsafe addresses, oversized and non-video answers are
 * refused with a ProviderError.
 */
export abstract class ResultDownloader {
  abstract download(url: string, workDir: string, signal: AbortSignal): Promise<string>;
}

/** Over HTTP(S), refusing private addresses except the configured upstream's own host. */
@Injectable()
export class SafeResultDownloader extends ResultDownloader {
  constructor(private readonly config: AppConfig) {
    super();
  }

  download(url: string, workDir: string, signal: AbortSignal): Promise<string> {
    return downloadResult(url, workDir, this.config, signal);
  }
}
