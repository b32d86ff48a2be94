/** `evalbook install`, `evalbook --help/--version`, and `evalbook kernel` itself. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  jupyterUserDataDir,
  kernelsDir,
  parseInstallArgs,
  InstallError,
} from '../../kernel/install.js';
import { packageVersion } from '../../kernel/kernel-info.js';
import { logoPng } from '../../kernel/png.js';
import { repoRoot, type Json } from '../helpers/golden.js';
import { types } from './expect.js';
import { EVALBOOK_BIN, KernelClient } from './client.js';
import { findJupyterPython, jupyterEnv } from './jupyter-env.js';

function evalbook(args: string[], env: NodeJS.ProcessEnv = process.env) {
  return spawnSync(process.execPath, [EVALBOOK_BIN, ...args], { env, encoding: 'utf8' });
}

describe('evalbook install', () => {
  let tmp: string;

  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'evalbook-install-'));
  });

  after(() => rmSync(tmp, { recursive: true, force: true }));

  test('--prefix writes kernel.json with absolute paths and both logos', () => {
    const prefix = join(tmp, 'prefix');
    const run = evalbook(['install', '--prefix', prefix]);
    assert.equal(run.status, 0, run.stderr);
    const dir = join(prefix, 'share', 'jupyter', 'kernels', 'evalbook');
    assert.match(run.stdout, new RegExp(`Installed the Evalbook kernelspec "evalbook" in ${dir}`));
    assert.match(run.stdout, /jupyter kernelspec uninstall evalbook/);
    const spec = JSON.parse(readFileSync(join(dir, 'kernel.json'), 'utf8')) as Json;
    assert.deepEqual(spec.argv, [
      process.execPath,
      EVALBOOK_BIN,
      'kernel',
      '--connection-file',
      '{connection_file}',
    ]);
    assert.equal(spec.display_name, 'Evalbook');
    assert.equal(spec.language, 'evalbook');
    assert.equal(spec.interrupt_mode, 'message');
    assert.equal(spec.metadata.evalbook_version, packageVersion());
    assert.deepEqual(readFileSync(join(dir, 'logo-32x32.png')), logoPng(32));
    assert.deepEqual(readFileSync(join(dir, 'logo-64x64.png')), logoPng(64));
  });

  test('the installed spec is what jupyter_client lists', { skip: !findJupyterPython() }, () => {
    const prefix = join(tmp, 'listed');
    assert.equal(evalbook(['install', '--prefix', prefix, '--name', 'evalbook-listed']).status, 0);
    const home = join(prefix, 'share', 'jupyter');
    const listed = spawnSync(
      findJupyterPython() as string,
      ['-m', 'jupyter_client.kernelspecapp', 'list', '--json'],
      { env: jupyterEnv(home), encoding: 'utf8' },
    );
    const specs = (JSON.parse(listed.stdout) as Json).kernelspecs;
    assert.equal(specs['evalbook-listed'].resource_dir, join(home, 'kernels', 'evalbook-listed'));
    assert.equal(specs['evalbook-listed'].spec.display_name, 'Evalbook');
  });

  test('--user (the default) goes to JUPYTER_DATA_DIR/kernels; reinstalling replaces it', () => {
    const data = join(tmp, 'data');
    const env = { ...process.env, JUPYTER_DATA_DIR: data };
    assert.equal(evalbook(['install'], env).status, 0);
    const dir = join(data, 'kernels', 'evalbook');
    writeFileSync(join(dir, 'stale.txt'), 'left over');
    assert.equal(evalbook(['install', '--user'], env).status, 0);
    assert.equal(existsSync(join(dir, 'stale.txt')), false);
    assert.equal(existsSync(join(dir, 'kernel.json')), true);
  });

  test('--sys-prefix asks the Python behind `jupyter` for sys.prefix', () => {
    const bin = join(tmp, 'fake-bin');
    const sysPrefix = join(tmp, 'sys-prefix');
    mkdirSync(bin, { recursive: true });
    const fakePython = join(bin, 'python3.11');
    writeFileSync(fakePython, `#!/bin/sh\necho ${sysPrefix}\n`);
    // A `jupyter` whose shebang names that Python, and no python3 on PATH at all.
    writeFileSync(join(bin, 'jupyter'), `#!${fakePython}\n`);
    chmodSync(fakePython, 0o755);
    chmodSync(join(bin, 'jupyter'), 0o755);
    const run = evalbook(['install', '--sys-prefix'], { ...process.env, PATH: bin });
    assert.equal(run.status, 0, run.stderr);
    assert.ok(
      existsSync(join(sysPrefix, 'share', 'jupyter', 'kernels', 'evalbook', 'kernel.json')),
    );
    assert.doesNotMatch(run.stdout, /Jupyter is not installed/);
  });

  test('without jupyter on PATH it says how to get it, and still writes the spec', () => {
    const prefix = join(tmp, 'nojupyter');
    const run = evalbook(['install', '--prefix', prefix], { ...process.env, PATH: '/nonexistent' });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /Jupyter is not installed/);
    assert.match(run.stdout, /apt-get install jupyter-notebook/);
    assert.match(run.stdout, /pip install jupyterlab/);
    assert.ok(existsSync(join(prefix, 'share', 'jupyter', 'kernels', 'evalbook', 'kernel.json')));
  });

  test('--help says where each option installs and how to remove it', () => {
    const env = { ...process.env, JUPYTER_DATA_DIR: join(tmp, 'helpdata') };
    const run = evalbook(['install', '--help'], env);
    assert.equal(run.status, 0);
    assert.match(run.stdout, /usage: evalbook install \[--user \| --prefix DIR \| --sys-prefix\]/);
    assert.ok(run.stdout.includes(join(tmp, 'helpdata', 'kernels', '<NAME>')));
    assert.match(run.stdout, /DIR\/share\/jupyter\/kernels\/<NAME>/);
    assert.match(run.stdout, /jupyter kernelspec uninstall <NAME>/);
    assert.equal(existsSync(join(tmp, 'helpdata')), false, '--help installs nothing');
  });

  test('bad options are refused with the usage and exit code 2', () => {
    for (const args of [['--bogus'], ['--user', '--sys-prefix'], ['--prefix'], ['--name', 'a/b']]) {
      const run = evalbook(['install', ...args]);
      assert.equal(run.status, 2, args.join(' '));
      assert.match(run.stderr, /usage: evalbook install/);
    }
  });

  test('option parsing and the data directories', () => {
    assert.deepEqual(parseInstallArgs([]), { scope: { kind: 'user' }, name: 'evalbook' });
    assert.deepEqual(parseInstallArgs(['--prefix=/opt/x', '--name=eb']), {
      scope: { kind: 'prefix', prefix: '/opt/x' },
      name: 'eb',
    });
    assert.throws(() => parseInstallArgs(['--prefix', '/a', '--user']), InstallError);
    assert.equal(jupyterUserDataDir({}, 'linux', '/home/u'), '/home/u/.local/share/jupyter');
    assert.equal(jupyterUserDataDir({ XDG_DATA_HOME: '/x' }, 'linux', '/home/u'), '/x/jupyter');
    assert.equal(jupyterUserDataDir({}, 'darwin', '/Users/u'), '/Users/u/Library/Jupyter');
    assert.equal(jupyterUserDataDir({ JUPYTER_DATA_DIR: '/j' }, 'linux', '/h'), '/j');
    assert.equal(kernelsDir({ kind: 'prefix', prefix: '/opt/x' }), '/opt/x/share/jupyter/kernels');
  });
});

describe('the evalbook command', () => {
  test('--version and --help', () => {
    const version = evalbook(['--version']);
    assert.equal(version.status, 0);
    assert.equal(version.stdout, `evalbook ${packageVersion()}\n`);
    const help = evalbook(['--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^ {2}kernel +run the Jupyter kernel/m);
    assert.match(help.stdout, /^ {2}install +write the kernelspec/m);
    const unknown = evalbook(['frobnicate']);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /unknown command "frobnicate"/);
    const noFile = evalbook(['kernel']);
    assert.equal(noFile.status, 2);
    assert.match(noFile.stderr, /expected a connection file/);
  });

  test('evalbook kernel serves kernel_info and %%ts cells, in either argument form', async () => {
    for (const args of [
      [EVALBOOK_BIN, 'kernel', '--connection-file', '{connection_file}'],
      [EVALBOOK_BIN, 'kernel', '{connection_file}'],
    ]) {
      const client = await KernelClient.start({ args });
      try {
        const info = await client.request('shell', 'kernel_info_request', {});
        assert.equal(info.reply.content.implementation, 'evalbook');
        const ts = await client.execute('%%ts\n6 * 7', {}, 60000);
        assert.equal(ts.reply.content.status, 'ok');
        const result = ts.iopub.find((m) => m.header.msg_type === 'execute_result');
        assert.equal(result?.content.data['text/plain'], '42');
        assert.deepEqual(client.rejected, []);
      } finally {
        await client.close();
      }
    }
  });

  test('evalbook kernel runs the language, and %%ts cells see its tables', async () => {
    const client = await KernelClient.start({
      args: [EVALBOOK_BIN, 'kernel', '{connection_file}'],
      cwd: join(repoRoot, 'test', 'fixtures', 'golden', 'binary_spam_ham'),
    });
    try {
      const load = await client.execute('load "data.csv" as test', {}, 60000);
      assert.equal(load.reply.content.status, 'ok', JSON.stringify(load.reply.content));
      assert.ok(types(load.iopub).includes('display_data'));
      const missing = await client.execute('load "no-such.csv" as nope', {}, 60000);
      assert.equal(missing.reply.content.status, 'error');
      assert.match(
        missing.reply.content.evalue + missing.reply.content.traceback.join('\n'),
        /no-such\.csv/,
      );
      const rows = await client.execute('%%ts\ntest.shape[0]', {}, 60000);
      assert.equal(rows.reply.content.status, 'ok', JSON.stringify(rows.reply.content));
      const result = rows.iopub.find((m) => m.header.msg_type === 'execute_result');
      assert.equal(result?.content.data['text/plain'], '240');
    } finally {
      await client.close();
    }
  });

  test('a connection file that cannot be used is reported, with exit code 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'evalbook-badconn-'));
    try {
      const file = join(dir, 'conn.json');
      writeFileSync(file, JSON.stringify({ shell_port: 'x' }));
      const run = evalbook(['kernel', '--connection-file', file]);
      assert.equal(run.status, 1);
      assert.match(run.stderr, /'shell_port' must be a port number/);
      const missing = evalbook(['kernel', join(dir, 'missing.json')]);
      assert.equal(missing.status, 1);
      assert.match(missing.stderr, /cannot read connection file/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
