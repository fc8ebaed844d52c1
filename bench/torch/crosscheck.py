"""The comparison every cross-check script prints: torch's loss and gradients, in float32 and in
float64, against the compiled ones stored beside the batch ('grad/<name>' tensors and the 'loss'
metadata), ending with the line the C# tests read, 'max relative error: <e>' (against float64)."""
import torch


def report(run, batch, metadata, final=True):
    """run(dtype) -> (loss, {name: grad}); returns the largest float64 relative error (loss or gradient norm).
    final=False leaves the last line to the caller, which compares more (BatchNorm's running statistics)."""
    compiled_loss = float(metadata["loss"])
    worst = 0.0
    for dtype in (torch.float32, torch.float64):
        loss, grads = run(dtype)
        name = str(dtype).replace("torch.", "")
        loss_error = abs(compiled_loss - loss) / abs(loss)
        print(f"{name}: torch loss {loss:.9f}, compiled {compiled_loss:.9f}, relative {loss_error:.2e}")
        for key, grad in grads.items():
            ours = batch["grad/" + key].to(torch.float64)
            theirs = grad.to(torch.float64)
            error = ((ours - theirs).norm() / theirs.norm()).item()
            print(f"  {key}: |g| {theirs.norm().item():.6e}, relative error (norm) {error:.2e}")
            if dtype == torch.float64:
                worst = max(worst, error)
        if dtype == torch.float64:
            worst = max(worst, loss_error)
    if final:
        print(f"max relative error: {worst:.3e}")
    return worst
