"""A ``vram``/``estimate`` target to memory, speed and cost: what the target names (target), image
diffusion pipelines (diffusion), and the two jobs (vram, estimate)."""
