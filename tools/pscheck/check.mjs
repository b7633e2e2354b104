#!/usr/bin/env node
// PowerShell syntax check without PowerShell (none can run on our machines or in CI).
//
//   node tools/pscheck/check.mjs [file ...]
//
// Without arguments it checks every .ps1/.psm1/.psd1 that git tracks, plus untracked files git does
// not ignore, below the current directory (node_modules excluded). Prints `path:line:col: what` for
// each problem, then `pscheck: N files checked, N with problems`; exits 1 when any file has one.
//
// A problem is (1) an ERROR or MISSING node of the tree-sitter PowerShell grammar, or (2) syntax that
// only PowerShell 7 accepts; DeployOps supports Windows PowerShell 5.1. The grammar parses the
// pipeline chain operators && and || (node pipeline_chain_tail), which we reject by node type. It
// does not know ternary ?:, ??, ??=, ?. and ?[ at all: those come out as ERROR nodes, reported with
// a hint. Known false positive: a switch clause on the same line as the one before it
// ({ 1 } default { 2 }); put each clause on its own line (see README.md).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Language, Parser } from 'web-tree-sitter';

const require = createRequire(import.meta.url);
const POWERSHELL_FILE = /\.ps(1|m1|d1)$/i;
const SEVEN_ONLY_HINT = "likely PowerShell 7-only syntax (?: ?? ??= ?. ?[ are not Windows PowerShell 5.1)";

/** Returns check(source) => [{ line, col, what }] (1-based line and column). */
export async function createChecker() {
  await Parser.init();
  const grammar = await Language.load(require.resolve('tree-sitter-powershell/tree-sitter-powershell.wasm'));
  const parser = new Parser();
  parser.setLanguage(grammar);
  return (source) => {
    const tree = parser.parse(source.replace(/^\uFEFF/, ''));
    try {
      return problemsIn(tree.rootNode);
    } finally {
      tree.delete();
    }
  };
}

function problemsIn(root) {
  const problems = [];
  const visit = (node) => {
    const what = describe(node);
    if (what) {
      const { row, column } = node.startPosition;
      problems.push({ line: row + 1, col: column + 1, what });
    }
    // An ERROR node is reported once, at its start: the ERROR nodes inside it only repeat it.
    if (!node.isError) for (const child of node.children) visit(child);
  };
  visit(root);
  return problems;
}

function describe(node) {
  if (node.isMissing) return `missing '${node.type}'`;
  if (node.isError) {
    const near = node.text.trim().split('\n')[0].slice(0, 40);
    return `syntax error near '${near}'` + (near.includes('?') ? `: ${SEVEN_ONLY_HINT}` : '');
  }
  if (node.type === 'pipeline_chain_tail') {
    return `pipeline chain operator '${node.text.trim()}' is PowerShell 7-only (the module supports 5.1)`;
  }
  return null;
}

/** Every PowerShell file git tracks, plus untracked files it does not ignore, relative to cwd. */
export function defaultFiles(cwd = process.cwd()) {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd, encoding: 'utf8' });
  const files = listed.split('\0').filter((f) => POWERSHELL_FILE.test(f) && !f.split('/').includes('node_modules') && existsSync(join(cwd, f)));
  return [...new Set(files)].sort();
}

async function main(args) {
  const check = await createChecker();
  const files = args.length > 0 ? args : defaultFiles();
  let failedFiles = 0;
  for (const file of files) {
    const problems = check(readFileSync(file, 'utf8'));
    for (const p of problems) console.log(`${file}:${p.line}:${p.col}: ${p.what}`);
    if (problems.length > 0) failedFiles++;
  }
  console.log(`pscheck: ${files.length} files checked, ${failedFiles} with problems`);
  return failedFiles === 0 ? 0 : 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
