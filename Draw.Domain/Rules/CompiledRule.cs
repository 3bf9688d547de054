using System.Buffers.Binary;
using System.Globalization;
using System.Text.RegularExpressions;
using Draw.Dicom.Core;
using Draw.Dicom.Core.Values;

namespace Draw.Domain.Rules;

/// <summary>
/// One rule, checked and with its value parsed once, ready to evaluate against any number of
/// headers. Evaluation reads values straight from the elements (spans, no per-value strings) unless
/// the caller asks for the values found.
/// </summary>
public sealed class CompiledRule
{
    private const int MaxValuesShown = 16;
    private const int MaxValueLengthShown = 64;

    private readonly TagPathStep[] steps;
    private readonly ValueDomain domain;
    private readonly string[] texts;
    private readonly double[] numbers;
    private readonly DateOnly?[] dates;
    private readonly TimeOnly?[] times;
    private readonly DateTime?[] dateTimes;
    private readonly DicomTag?[] tags;
    private readonly Regex? regex;

    internal CompiledRule(long? id, TagPath path, RuleOperator op, string value, RuleJoin join)
    {
        Id = id;
        Path = path;
        Operator = op;
        Value = op.TakesNoValue() ? "" : value;
        Join = join;
        steps = [.. path.Steps];
        domain = RuleValueRules.DomainOf(RuleValueRules.VROf(path));
        texts = op == RuleOperator.IsOneOf ? RuleValueRules.SplitList(Value) : [Value];
        numbers = [.. texts.Select(t => double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : double.NaN)];
        dates = [.. texts.Select(t => DicomDateTimeParser.TryParseDate(t, out var d) ? d : (DateOnly?)null)];
        times = [.. texts.Select(t => DicomDateTimeParser.TryParseTime(t, out var d) ? d : (TimeOnly?)null)];
        dateTimes = [.. texts.Select(t => DicomDateTimeParser.TryParseDateTime(t, out var d, out var offset) ? d - (offset ?? TimeSpan.Zero) : (DateTime?)null)];
        tags = [.. texts.Select(t => DicomTag.TryParse(t, out var tag) ? tag : (DicomTag?)null)];
        if (op == RuleOperator.MatchesRegex)
        {
            regex = new Regex(Value, RegexOptions.CultureInvariant, RuleValueRules.RegexTimeout);
        }
    }

    public long? Id { get; }

    public TagPath Path { get; }

    public RuleOperator Operator { get; }

    public string Value { get; }

    public RuleJoin Join { get; }

    /// <summary>Plain-language form, e.g. "Modality (0008,0060) equals CT".</summary>
    public string Describe() => Operator.TakesNoValue() ? $"{Path.Display} {Operator.Display()}" : $"{Path.Display} {Operator.Display()} {Value}";

    public bool Evaluate(DicomDataset dataset) => Evaluate(dataset, null, out _);

    /// <summary>Evaluates the rule; <paramref name="found"/> (when given) receives the values read, as text.</summary>
    public bool Evaluate(DicomDataset dataset, List<string>? found, out string? note)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var state = new State { Found = found };
        Walk(dataset, 0, ref state);
        note = state.TimedOut ? "the regular expression timed out on a value" : state.Present ? null : "not present";
        return Operator switch
        {
            RuleOperator.Exists => state.Present,
            RuleOperator.DoesNotExist => !state.Present,
            _ when Operator.IsNegative() => state.Present && !state.AnyMatch,
            _ => state.AnyMatch,
        };
    }

    private void Walk(DicomDataset dataset, int step, ref State state)
    {
        var element = dataset.Find(steps[step].Tag);
        if (element is null)
        {
            return;
        }

        if (step == steps.Length - 1)
        {
            Visit(dataset, element, ref state);
            return;
        }

        if (element is not DicomSequence sequence)
        {
            return;
        }

        if (steps[step].Item is { } index)
        {
            if (index < sequence.Items.Count)
            {
                Walk(sequence.Items[index], step + 1, ref state);
            }

            return;
        }

        foreach (var item in sequence.Items)
        {
            Walk(item, step + 1, ref state);
            if (state.CanStop(Operator))
            {
                return;
            }
        }
    }

    private void Visit(DicomDataset owner, DicomElement element, ref State state)
    {
        if (element is DicomSequence sequence)
        {
            if (sequence.Items.Count > 0)
            {
                state.Present = true;
                state.Show(string.Create(CultureInfo.InvariantCulture, $"{sequence.Items.Count} item(s)"));
            }

            return;
        }

        if (element.IsEmpty || element is DicomFragmentSequence)
        {
            return;
        }

        var vr = element.VR;
        var unit = vr.UnitSize();
        if (vr.IsBinary() && unit > 0 && vr is not (DicomVR.OB or DicomVR.OW or DicomVR.OF or DicomVR.OD or DicomVR.OL or DicomVR.OV))
        {
            VisitBinary(element, vr, unit, ref state);
            return;
        }

        if (!vr.IsString() && vr != DicomVR.UN)
        {
            // OB, OW and the like: compared as dcmdump would print them.
            VisitText(owner.GetString(element), single: true, vr, ref state);
            return;
        }

        var text = vr == DicomVR.UN ? owner.CharacterSet.Decode(element.GetBytes().Span, DicomVR.LO).TrimEnd(' ', '\0') : owner.GetString(element);
        VisitText(text, vr.IsSingleValued(), vr, ref state);
    }

    private void VisitBinary(DicomElement element, DicomVR vr, int unit, ref State state)
    {
        var bytes = element.GetBytes().Span;
        Span<char> buffer = stackalloc char[32];
        for (var at = 0; at + unit <= bytes.Length; at += unit)
        {
            var slice = bytes.Slice(at, unit);
            if (vr == DicomVR.AT)
            {
                var tag = new DicomTag(BinaryPrimitives.ReadUInt16LittleEndian(slice), BinaryPrimitives.ReadUInt16LittleEndian(slice[2..]));
                state.Present = true;
                var text = tag.ToString();
                state.Show(text);
                Record(ref state, MatchesTag(tag, text));
            }
            else
            {
                var number = ReadNumber(vr, slice);
                state.Present = true;
                var written = number.TryFormat(buffer, out var length, "R", CultureInfo.InvariantCulture) ? length : 0;
                ReadOnlySpan<char> text = buffer[..written];
                if (state.Found is not null)
                {
                    state.Show(text.ToString());
                }

                Record(ref state, MatchesNumber(number, text));
            }

            if (state.CanStop(Operator))
            {
                return;
            }
        }
    }

    private void VisitText(string text, bool single, DicomVR vr, ref State state)
    {
        var rest = text.AsSpan();
        while (true)
        {
            var split = single ? -1 : rest.IndexOf('\\');
            var value = split < 0 ? rest : rest[..split];
            value = vr is DicomVR.LT or DicomVR.ST or DicomVR.UT or DicomVR.UC ? value.TrimEnd(' ') : value.Trim(' ');
            value = value.TrimEnd('\0');
            if (value.Length > 0)
            {
                state.Present = true;
                if (state.Found is not null)
                {
                    state.Show(value.ToString());
                }

                Record(ref state, MatchesText(value, vr));
                if (state.CanStop(Operator))
                {
                    return;
                }
            }

            if (split < 0)
            {
                return;
            }

            rest = rest[(split + 1)..];
        }
    }

    private static void Record(ref State state, bool? matched)
    {
        if (matched is null)
        {
            state.TimedOut = true;
        }
        else if (matched.Value)
        {
            state.AnyMatch = true;
        }
    }

    /// <summary>Whether the positive form of the operator holds for one text value; null when a regex timed out.</summary>
    private bool? MatchesText(ReadOnlySpan<char> value, DicomVR vr)
    {
        switch (Operator)
        {
            case RuleOperator.Exists or RuleOperator.DoesNotExist:
                return false;
            case RuleOperator.Contains or RuleOperator.DoesNotContain:
                return value.Contains(texts[0].AsSpan(), StringComparison.Ordinal);
            case RuleOperator.ContainsIgnoreCase or RuleOperator.DoesNotContainIgnoreCase:
                return value.Contains(texts[0].AsSpan(), StringComparison.OrdinalIgnoreCase);
            case RuleOperator.ExactMatch:
                return value.SequenceEqual(texts[0]);
            case RuleOperator.ExactMatchIgnoreCase:
                return value.Equals(texts[0], StringComparison.OrdinalIgnoreCase);
            case RuleOperator.MatchesRegex:
                try
                {
                    return regex!.IsMatch(value);
                }
                catch (RegexMatchTimeoutException)
                {
                    return null;
                }
        }

        var effective = domain == ValueDomain.Unknown ? RuleValueRules.DomainOf(vr) : domain;
        for (var i = 0; i < texts.Length; i++)
        {
            int? comparison = effective switch
            {
                ValueDomain.Number => Number(value, i),
                ValueDomain.Date => DicomDateTimeParser.TryParseDate(value, out var d) && dates[i] is { } rd ? d.CompareTo(rd) : null,
                ValueDomain.Time => DicomDateTimeParser.TryParseTime(value, out var t) && times[i] is { } rt ? t.CompareTo(rt) : null,
                ValueDomain.DateTime => DicomDateTimeParser.TryParseDateTime(value, out var dt, out var offset) && dateTimes[i] is { } rdt ? (dt - (offset ?? TimeSpan.Zero)).CompareTo(rdt) : null,
                ValueDomain.Tag => DicomTag.TryParse(value.ToString(), out var tag) && tags[i] is { } rtag ? tag.CompareTo(rtag) : null,
                // Text, or an unknown VR: numbers when both sides are numbers, else exact text.
                _ when domain == ValueDomain.Unknown && Number(value, i) is { } n => n,
                _ => Operator.IsOrdering() ? null : (value.SequenceEqual(texts[i]) ? 0 : 1),
            };
            if (Holds(comparison))
            {
                return true;
            }
        }

        return false;
    }

    private int? Number(ReadOnlySpan<char> value, int i) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && !double.IsNaN(numbers[i]) ? n.CompareTo(numbers[i]) : null;

    private bool? MatchesNumber(double number, ReadOnlySpan<char> text)
    {
        if (Operator.IsTextual() || Operator == RuleOperator.MatchesRegex)
        {
            return MatchesText(text, DicomVR.DS);
        }

        for (var i = 0; i < numbers.Length; i++)
        {
            if (!double.IsNaN(numbers[i]) && Holds(number.CompareTo(numbers[i])))
            {
                return true;
            }
        }

        return false;
    }

    private bool? MatchesTag(DicomTag tag, string text)
    {
        if (Operator.IsTextual() || Operator == RuleOperator.MatchesRegex)
        {
            return MatchesText(text, DicomVR.AT);
        }

        for (var i = 0; i < tags.Length; i++)
        {
            if (tags[i] is { } rule && Holds(tag.CompareTo(rule)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The positive form of the operator, given how the tag value compares with the rule value.</summary>
    private bool Holds(int? comparison) => comparison is { } c && Operator switch
    {
        RuleOperator.EqualTo or RuleOperator.NotEqualTo or RuleOperator.IsOneOf => c == 0,
        RuleOperator.GreaterThan => c > 0,
        RuleOperator.LessThan => c < 0,
        RuleOperator.GreaterThanOrEqual => c >= 0,
        RuleOperator.LessThanOrEqual => c <= 0,
        _ => false,
    };

    private static double ReadNumber(DicomVR vr, ReadOnlySpan<byte> s) => vr switch
    {
        DicomVR.US => BinaryPrimitives.ReadUInt16LittleEndian(s),
        DicomVR.SS => BinaryPrimitives.ReadInt16LittleEndian(s),
        DicomVR.UL => BinaryPrimitives.ReadUInt32LittleEndian(s),
        DicomVR.SL => BinaryPrimitives.ReadInt32LittleEndian(s),
        DicomVR.FL => BinaryPrimitives.ReadSingleLittleEndian(s),
        DicomVR.FD => BinaryPrimitives.ReadDoubleLittleEndian(s),
        DicomVR.SV => BinaryPrimitives.ReadInt64LittleEndian(s),
        DicomVR.UV => BinaryPrimitives.ReadUInt64LittleEndian(s),
        _ => double.NaN,
    };

    private struct State
    {
        public bool Present;
        public bool AnyMatch;
        public bool TimedOut;
        public List<string>? Found;

        /// <summary>Without a trace, evaluation stops once the outcome is known: at the first match
        /// (positive and negative operators alike) or, for presence tests, at the first value.</summary>
        public readonly bool CanStop(RuleOperator op) => Found is null && (AnyMatch || (Present && op.TakesNoValue()));

        public readonly void Show(string value)
        {
            if (Found is not null && Found.Count < MaxValuesShown)
            {
                Found.Add(value.Length > MaxValueLengthShown ? value[..MaxValueLengthShown] + "…" : value);
            }
        }
    }
}
