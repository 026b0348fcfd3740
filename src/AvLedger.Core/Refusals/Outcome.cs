namespace AvLedger.Core.Refusals;

/// <summary>What a use case returns: its value, or the refusal that explains why not.</summary>
public readonly struct Outcome<T>
{
    Outcome(T? value, Refusal? refusal) => (Value, Refusal) = (value, refusal);

    public T? Value { get; }
    public Refusal? Refusal { get; }
    public bool Refused => Refusal is not null;

    public static implicit operator Outcome<T>(T value) => new(value, null);
    public static implicit operator Outcome<T>(Refusal refusal) => new(default, refusal);

    public Outcome<T> ToOutcome() => this;
}
