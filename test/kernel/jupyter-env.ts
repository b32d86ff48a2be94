/** Finding Debian's Jupyter for tests and benchmarks, and a private Jupyter environment. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { findOnPath } from '../../kernel/install.js';

/**
 * A Python that can import jupyter_client: python3 on PATH first, then Debian's own (a pyenv
 * or virtualenv python3 on PATH usually lacks the Debian packages).
 */
export function findJupyterPython(): string | undefined {
  const candidates = [findOnPath('python3'), '/usr/bin/python3'].filter(
    (path): path is string => path !== undefined,
  );
  for (const python of candidates) {
    const probe = spawnSync(python, ['-c', 'import jupyter_client, nbconvert'], {
      stdio: 'ignore',
    });
    if (probe.status === 0) return python;
  }
  return undefined;
}

/** Jupyter's paths confined to `home`: kernelspecs in home/kernels, nothing from the user. */
export function jupyterEnv(home: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    JUPYTER_PATH: home,
    JUPYTER_DATA_DIR: join(home, 'data'),
    JUPYTER_RUNTIME_DIR: join(home, 'runtime'),
    JUPYTER_CONFIG_DIR: join(home, 'config'),
    // debugpy warns about frozen modules on every start; it is noise here.
    PYDEVD_DISABLE_FILE_VALIDATION: '1',
    PYTHONWARNINGS: 'ignore',
  };
}
