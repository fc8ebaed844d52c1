using System;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TorchSharpWorker;

/// <summary>compare.py's GPT case: pre-LN blocks with causal multi-head attention, dropout, GELU feed-forward, an untied head, AdamW with clipping at norm 1.</summary>
internal sealed class Gpt : nn.Module<Tensor, Tensor>
{
    private readonly Embedding tokenEmbedding, positionEmbedding;
    private readonly ModuleList<Block> blocks;
    private readonly LayerNorm norm;
    private readonly Linear head;
    private readonly Tensor mask, positions;

    private Gpt(int vocab, int width, int heads, int layers, int context, double dropout) : base(nameof(Gpt))
    {
        tokenEmbedding = nn.Embedding(vocab, width);
        positionEmbedding = nn.Embedding(context, width);
        blocks = nn.ModuleList(Enumerable.Range(0, layers).Select(_ => new Block(width, heads, dropout)).ToArray());
        norm = nn.LayerNorm(width);
        head = nn.Linear(width, vocab, hasBias: false);
        mask = torch.triu(torch.ones(context, context), 1).to(ScalarType.Bool);
        positions = torch.arange(context);
        RegisterComponents();
    }

    /// <summary>One AdamW train step of the GPT with this configuration on fixed random ids.</summary>
    public static Action Call(int vocab, int width, int heads, int layers, int context, int batch, double dropout)
    {
        torch.manual_seed(1);
        var model = new Gpt(vocab, width, heads, layers, context, dropout);
        model.train();
        Tensor ids = torch.randint(0, vocab, new long[] { batch, context });
        Tensor targets = torch.randint(0, vocab, new long[] { batch, context });
        var optimizer = optim.AdamW(model.parameters(), lr: 3e-4, weight_decay: 0.1);
        return () =>
        {
            using var scope = torch.NewDisposeScope();
            model.zero_grad(set_to_none: true);
            Tensor loss = nn.functional.cross_entropy(model.call(ids).reshape(-1, vocab), targets.reshape(-1));
            loss.backward();
            nn.utils.clip_grad_norm_(model.parameters(), 1.0);
            optimizer.step();
        };
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor ids)
    {
        Tensor x = tokenEmbedding.call(ids) + positionEmbedding.call(positions);
        foreach (Block block in blocks)
            x = block.Forward(x, mask);
        return head.call(norm.call(x));
    }

    /// <summary>x + Dropout(Attention(LN(x))), then x + Dropout(Down(GELU(Up(LN(x))))).</summary>
    private sealed class Block : nn.Module
    {
        private readonly LayerNorm norm1, norm2;
        private readonly MultiheadAttention attention;
        private readonly Linear up, down;
        private readonly Dropout drop;

        public Block(int width, int heads, double dropout) : base(nameof(Block))
        {
            norm1 = nn.LayerNorm(width);
            attention = nn.MultiheadAttention(width, heads, dropout: dropout);
            norm2 = nn.LayerNorm(width);
            up = nn.Linear(width, 4 * width);
            down = nn.Linear(4 * width, width);
            drop = nn.Dropout(dropout);
            RegisterComponents();
        }

        public Tensor Forward(Tensor x, Tensor mask)
        {
            // TorchSharp's MultiheadAttention takes (sequence, batch, width), as PyTorch's does without
            // batch_first; PyTorch 1.13 transposes the same way inside for batch_first=True.
            Tensor h = norm1.call(x).transpose(0, 1);
            Tensor attended = attention.call(h, h, h, need_weights: false, attn_mask: mask).Item1.transpose(0, 1);
            x = x + drop.call(attended);
            return x + drop.call(down.call(nn.functional.gelu(up.call(norm2.call(x)))));
        }
    }
}
