/**
 * The one mechanism by which lib/tf replaces or adds tfjs kernels: a {@link KernelPatch} registers a set of kernels
 * for one backend at most once (its saved originals are the guard) and can put the stock kernels back.
 *
 * Why one mechanism: tfjs's kernel registry is global, so a patch installed twice would save its own kernels as
 * the "originals", and a patch installed from a library function would change every later computation behind the
 * caller's back. The patches (./wasm-conv-gradients.ts, ./wasm-zero-copy.ts, ./cpu-fixes.ts) are installed from
 * ./backend.ts when a backend is initialised; tests and benchmarks that call `tf.setBackend` themselves install
 * (and uninstall) them directly.
 */
import * as tf from '@tensorflow/tfjs-core';

/** A kernel of a patch: the backend is the patch's. */
export type PatchKernel = Omit<tf.KernelConfig, 'backendName'>;

export class KernelPatch {
  /** Kernel name → the kernel it replaced (undefined: none was registered). Non-empty iff installed. */
  private readonly originals = new Map<string, tf.KernelConfig | undefined>();

  /**
   * @param backendName the backend whose kernels are patched ('wasm', 'cpu')
   * @param kernels builds the replacement kernels; called at each install, while the stock kernels are registered
   *   (so a replacement may delegate to the stock kernel it replaces)
   */
  constructor(
    readonly backendName: string,
    private readonly kernels: () => PatchKernel[],
  ) {}

  /** True while the patch's kernels are registered. */
  get installed(): boolean {
    return this.originals.size > 0;
  }

  /**
   * Registers the patch's kernels, replacing the stock ones; a no-op when already installed. Safe before or after
   * the backend initialises (kernels are looked up at run time).
   * @returns the kernel names this call registered (empty when already installed)
   */
  install(): string[] {
    if (this.installed) return [];
    const configs = this.kernels();
    for (const config of configs) {
      const existing = tf.getKernel(config.kernelName, this.backendName);
      if (existing) tf.unregisterKernel(config.kernelName, this.backendName);
      this.originals.set(config.kernelName, existing);
      tf.registerKernel({ ...config, backendName: this.backendName });
    }
    return configs.map((c) => c.kernelName);
  }

  /** Puts the stock kernels back (benchmarks and tests compare with them); a no-op when not installed. */
  uninstall(): void {
    for (const [name, original] of this.originals) {
      tf.unregisterKernel(name, this.backendName);
      if (original) tf.registerKernel(original);
    }
    this.originals.clear();
  }
}

/**
 * Wrap a kernel input as a Tensor a patch kernel may pass to tf ops. Ops call kernels with real Tensors; other
 * kernels may pass bare TensorInfos, which we alias through the Identity kernel (it bumps the backend refCount, so
 * disposing the alias never frees the caller's data).
 */
export function asTensor(info: tf.TensorInfo): tf.Tensor {
  if (info instanceof tf.Tensor) return info;
  return tf
    .engine()
    .runKernel('Identity', { x: info } as unknown as tf.NamedTensorMap) as unknown as tf.Tensor;
}

/**
 * A patch kernel that runs `ours` and, where it returns null, the stock kernel it replaces; with the stock kernel's
 * setup (its cwrap binding on WASM), which a backend runs at initialisation for registered kernels only. Call it
 * inside a patch's builder, while the stock kernel is registered (see {@link KernelPatch}).
 */
export function oursOrStock(
  kernelName: string,
  backendName: string,
  ours: (args: Parameters<tf.KernelFunc>[0]) => tf.TensorInfo | null,
): PatchKernel {
  const stock = tf.getKernel(kernelName, backendName);
  if (!stock) throw new Error(`KernelPatch: ${backendName} has no ${kernelName} kernel to fall back to`);
  return {
    kernelName,
    kernelFunc: ((args: Parameters<tf.KernelFunc>[0]) =>
      ours(args) ?? stock.kernelFunc(args)) as tf.KernelFunc,
    ...(stock.setupFunc ? { setupFunc: stock.setupFunc } : {}),
  };
}
