import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MatIconModule } from '@angular/material/icon';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ICON_PATHS } from './icon-set.generated';
import { provideIcons } from './icons';

@Component({
  imports: [MatIconModule],
  template: `<mat-icon svgIcon="favorite-fill" />`,
})
class Host {}

/** Every file below `dir` whose name ends with one of `endings`. */
function filesIn(dir: string, endings: string[]): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return filesIn(path, endings);
    return endings.some((ending) => name.endsWith(ending)) ? [path] : [];
  });
}

describe('provideIcons', () => {
  it('draws a registered icon as an inline SVG that takes the text colour', async () => {
    TestBed.configureTestingModule({ providers: [provideIcons()] });
    const fixture = TestBed.createComponent(Host);
    fixture.detectChanges();
    await fixture.whenStable();

    const svg = (fixture.nativeElement as HTMLElement).querySelector('mat-icon svg');
    expect(svg?.getAttribute('viewBox')).toBe('0 -960 960 960');
    expect(svg?.querySelector('path')?.getAttribute('d')).toBe(ICON_PATHS['favorite-fill']);
    expect(svg?.getAttribute('fill')).toBeNull();
  });

  it('has every icon a template names (else it would draw nothing)', () => {
    const templates = filesIn(join(__dirname, '..', '..'), ['.html', '.ts'])
      .filter((file) => !file.endsWith('.spec.ts'))
      .map((file) => readFileSync(file, 'utf8'));
    const named = templates.flatMap((text) => [
      ...[...text.matchAll(/\bsvgIcon="([^"]+)"/g)].map((match) => match[1]),
      ...[...text.matchAll(/\[svgIcon\]="([^"]+)"/g)].flatMap((match) =>
        [...match[1].matchAll(/'([^']+)'/g)].map((quoted) => quoted[1]),
      ),
    ]);

    expect(named.length).toBeGreaterThan(10);
    expect(named.filter((name) => !(name in ICON_PATHS))).toEqual([]);
  });
});
