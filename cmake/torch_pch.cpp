// Translation unit that owns the shared <torch/torch.h> precompiled header.
