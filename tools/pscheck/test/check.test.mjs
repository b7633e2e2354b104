import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createChecker, defaultFiles } from '../check.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const checkScript = join(here, '..', 'check.mjs');
let check;
before(async () => {
  check = await createChecker();
});

describe('valid Windows PowerShell 5.1', () => {
  for (const sample of ['Valid51.ps1', 'Valid51.psd1']) {
    test(`${sample} has no problems`, () => {
      assert.deepEqual(check(readFileSync(join(here, 'samples', sample), 'utf8')), []);
    });
  }

  test('a byte order mark is not an error', () => {
    assert.deepEqual(check('\uFEFFWrite-Output 1\n'), []);
  });
});

describe('syntax errors', () => {
  const cases = [
    { name: 'unclosed brace', source: 'if ($a) {\n    $b\n', line: 2, what: "missing '}'" },
    { name: 'unclosed parenthesis', source: 'Write-Output 1\n$x = (1 +\n', line: 2, what: 'syntax error' },
    { name: 'stray closing brace', source: 'Write-Output 1\n}\n', line: 2, what: 'syntax error' },
  ];
  for (const c of cases) {
    test(`${c.name} is reported at line ${c.line}`, () => {
      const problems = check(c.source);
      assert.ok(problems.some((p) => p.line === c.line && p.what.includes(c.what)), JSON.stringify(problems));
    });
  }
});

describe('PowerShell 7-only syntax is rejected', () => {
  const sevenOnly = {
    ternary: '$x = $a ? 1 : 2',
    'null coalescing': '$x = $a ?? 2',
    'null coalescing assignment': '$x ??= 3',
    'null-conditional member': '${a}?.Name',
    'null-conditional index': '${a}?[0]',
  };
  for (const [name, source] of Object.entries(sevenOnly)) {
    test(`${name}: ${source}`, () => {
      const problems = check(`Write-Output 1\n${source}\n`);
      assert.ok(problems.some((p) => p.line === 2 && p.what.includes('PowerShell 7-only')), JSON.stringify(problems));
    });
  }

  for (const op of ['&&', '||']) {
    test(`pipeline chain ${op}`, () => {
      assert.deepEqual(check(`git status ${op} Write-Output done\n`), [
        { line: 1, col: 12, what: `pipeline chain operator '${op}' is PowerShell 7-only (the module supports 5.1)` },
      ]);
    });
  }

  test('-and, -or and the ? alias of Where-Object stay valid', () => {
    assert.deepEqual(check('$ok = $a -and $b -or $c\nGet-Process | ? { $_.Id }\n'), []);
  });
});

test('known false positive: a switch clause on the line of the previous one (see README)', () => {
  // If this starts failing, the grammar was fixed: drop the note from README.md.
  assert.notDeepEqual(check('switch ($x) { 1 { 1 } default { 2 } }\n'), []);
  assert.deepEqual(check('switch ($x) {\n    1 { 1 }\n    default { 2 }\n}\n'), []);
});

describe('command line', () => {
  const run = (args, cwd) => spawnSync(process.execPath, [checkScript, ...args], { cwd, encoding: 'utf8' });

  test('prints path:line:col for each problem, a summary, and exits 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pscheck-'));
    writeFileSync(join(dir, 'good.ps1'), 'Write-Output 1\n');
    writeFileSync(join(dir, 'bad.ps1'), 'Write-Output 1\n$x = $a ?? 2\n');
    const result = run(['good.ps1', 'bad.ps1'], dir);
    assert.equal(result.status, 1);
    assert.match(result.stdout, /^bad\.ps1:2:\d+: .*PowerShell 7-only/m);
    assert.doesNotMatch(result.stdout, /^good\.ps1:/m);
    assert.match(result.stdout, /^pscheck: 2 files checked, 1 with problems$/m);
  });

  test('exits 0 when every file is clean', () => {
    const result = run([join(here, 'samples', 'Valid51.ps1')], here);
    assert.equal(result.status, 0, result.stdout);
    assert.match(result.stdout, /^pscheck: 1 files checked, 0 with problems$/m);
  });
});

test('default files: tracked and untracked-not-ignored PowerShell files, never node_modules', () => {
  const repo = mkdtempSync(join(tmpdir(), 'pscheck-repo-'));
  const git = (...args) => execFileSync('git', args, { cwd: repo });
  git('init', '-q');
  mkdirSync(join(repo, 'node_modules'));
  mkdirSync(join(repo, 'sub'));
  const files = {
    'tracked.ps1': 'x',
    'sub/untracked.psm1': 'x',
    'Manifest.psd1': 'x',
    'ignored.ps1': 'x',
    'node_modules/dep.ps1': 'x',
    'notes.txt': 'x',
    '.gitignore': 'ignored.ps1\n',
  };
  for (const [path, text] of Object.entries(files)) writeFileSync(join(repo, path), text);
  git('add', 'tracked.ps1', '.gitignore');
  assert.deepEqual(defaultFiles(repo), ['Manifest.psd1', 'sub/untracked.psm1', 'tracked.ps1']);
});
