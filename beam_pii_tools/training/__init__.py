"""Training the LoRA adapter (`make train-adapter`)."""
