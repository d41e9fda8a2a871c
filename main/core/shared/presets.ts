// Starting points for a newcomer, shared by the Train view and `studio train --preset`.
// Plain data (no zod) so the renderer can import it; main/core/training/config.ts checks it.

export interface Preset {
  name: string
  title: string
  /** one line on what it shows */
  description: string
  config: Record<string, unknown>
}

export const presets: Preset[] = [
  {
    name: 'quick-look',
    title: 'Quick look',
    description: 'A small dense autoencoder, 256 → 32, for a first look at the codes in a minute.',
    config: { hidden: [256], latent: 32, epochs: 5 },
  },
  {
    name: 'sparse-filters',
    title: 'Sparse filters',
    description:
      "One sigmoid layer with a KL sparsity penalty: its units learn edge-like filters (Ng's notes).",
    config: { hidden: [], latent: 196, sparseKL: { rho: 0.05, beta: 3 }, epochs: 20 },
  },
  {
    name: 'denoising',
    title: 'Denoising',
    description:
      'Learns to undo zero-masking of 30% of the pixels: codes that capture structure, not pixels.',
    config: {
      hidden: [256],
      latent: 32,
      denoising: { kind: 'mask', level: 0.3, samples: 1 },
      epochs: 10,
    },
  },
  {
    name: 'conv',
    title: 'Conv',
    description:
      'Stride-2 convolutions and an upsampling decoder: keeps edges and textures a dense model blurs.',
    config: { model: 'conv', filters: [32, 64], hidden: [], latent: 32, epochs: 5, batchSize: 128 },
  },
  {
    name: 'vae-2d',
    title: 'VAE 2-D manifold',
    description: 'A variational autoencoder with a 2-D latent plane you can walk and decode.',
    config: {
      hidden: [512, 256],
      latent: 2,
      variational: { beta: 1 },
      reconstruction: 'bce',
      epochs: 20,
    },
  },
  {
    name: 'contractive',
    title: 'Contractive',
    description:
      'Penalises how fast the code changes with the input: codes robust to small perturbations.',
    config: { hidden: [256], latent: 32, contractive: { lambda: 0.1, sigma: 0.1 }, epochs: 10 },
  },
]

export function findPreset(name: string): Preset | undefined {
  return presets.find((preset) => preset.name === name)
}
