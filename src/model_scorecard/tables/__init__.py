"""The data the package ships and its readers: GPUs, carbon presets, licences, reference
architectures. Calculators take these figures as parameters; only this room reads the files."""
