namespace Draw.Domain.Rules;

/// <summary>
/// How a rule compares a tag's value with the rule's value. The first twelve are the DRAW client's;
/// Exists, DoesNotExist, MatchesRegex and IsOneOf are DRAW's additions. Stored by name.
/// </summary>
public enum RuleOperator
{
    EqualTo,
    NotEqualTo,
    GreaterThan,
    LessThan,
    GreaterThanOrEqual,
    LessThanOrEqual,
    Contains,
    ContainsIgnoreCase,
    DoesNotContain,
    DoesNotContainIgnoreCase,
    ExactMatch,
    ExactMatchIgnoreCase,
    Exists,
    DoesNotExist,
    MatchesRegex,
    IsOneOf,
}

/// <summary>How a rule (or ruleset) joins the one before it. AND binds tighter than OR.</summary>
public enum RuleJoin
{
    And,
    Or,
}

public static class RuleOperators
{
    /// <summary>The separator of IsOneOf's values.</summary>
    public const char ListSeparator = '|';

    public static string Display(this RuleOperator op) => op switch
    {
        RuleOperator.EqualTo => "equals",
        RuleOperator.NotEqualTo => "does not equal",
        RuleOperator.GreaterThan => "is greater than",
        RuleOperator.LessThan => "is less than",
        RuleOperator.GreaterThanOrEqual => "is greater than or equal to",
        RuleOperator.LessThanOrEqual => "is less than or equal to",
        RuleOperator.Contains => "contains (case-sensitive)",
        RuleOperator.ContainsIgnoreCase => "contains (ignoring case)",
        RuleOperator.DoesNotContain => "does not contain (case-sensitive)",
        RuleOperator.DoesNotContainIgnoreCase => "does not contain (ignoring case)",
        RuleOperator.ExactMatch => "is exactly (case-sensitive)",
        RuleOperator.ExactMatchIgnoreCase => "is exactly (ignoring case)",
        RuleOperator.Exists => "exists",
        RuleOperator.DoesNotExist => "does not exist",
        RuleOperator.MatchesRegex => "matches the regular expression",
        RuleOperator.IsOneOf => "is one of",
        _ => op.ToString(),
    };

    /// <summary>
    /// Negative operators hold when no value of the tag matches their positive counterpart; the others
    /// hold when any value matches.
    /// </summary>
    public static bool IsNegative(this RuleOperator op) => op is RuleOperator.NotEqualTo or RuleOperator.DoesNotContain or RuleOperator.DoesNotContainIgnoreCase;

    public static bool TakesNoValue(this RuleOperator op) => op is RuleOperator.Exists or RuleOperator.DoesNotExist;

    /// <summary>Operators that compare in the tag's value domain (numbers, dates and times, or text).</summary>
    public static bool IsComparison(this RuleOperator op) => op is RuleOperator.EqualTo or RuleOperator.NotEqualTo or RuleOperator.GreaterThan
        or RuleOperator.LessThan or RuleOperator.GreaterThanOrEqual or RuleOperator.LessThanOrEqual or RuleOperator.IsOneOf;

    public static bool IsOrdering(this RuleOperator op) => op is RuleOperator.GreaterThan or RuleOperator.LessThan
        or RuleOperator.GreaterThanOrEqual or RuleOperator.LessThanOrEqual;

    /// <summary>Operators on the value's text, whatever its VR.</summary>
    public static bool IsTextual(this RuleOperator op) => op is RuleOperator.Contains or RuleOperator.ContainsIgnoreCase or RuleOperator.DoesNotContain
        or RuleOperator.DoesNotContainIgnoreCase or RuleOperator.ExactMatch or RuleOperator.ExactMatchIgnoreCase;

    /// <summary>Parses an operator by its name, ignoring case and the DRAW client's spellings (e.g. CASE_INSENSITIVE_STRING_CONTAINS, GREATER_THAN_OR_EQUAL_TO).</summary>
    public static bool TryParse(string? text, out RuleOperator op)
    {
        op = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var key = text.Replace("_", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).ToUpperInvariant();
        key = key switch
        {
            "CASESENSITIVESTRINGCONTAINS" => "CONTAINS",
            "CASEINSENSITIVESTRINGCONTAINS" => "CONTAINSIGNORECASE",
            "CASESENSITIVESTRINGDOESNOTCONTAIN" => "DOESNOTCONTAIN",
            "CASEINSENSITIVESTRINGDOESNOTCONTAIN" => "DOESNOTCONTAINIGNORECASE",
            "CASESENSITIVESTRINGEXACTMATCH" => "EXACTMATCH",
            "CASEINSENSITIVESTRINGEXACTMATCH" => "EXACTMATCHIGNORECASE",
            "GREATERTHANOREQUALTO" => "GREATERTHANOREQUAL",
            "LESSTHANOREQUALTO" => "LESSTHANOREQUAL",
            "NOTEXISTS" => "DOESNOTEXIST",
            "REGEX" or "MATCHES" => "MATCHESREGEX",
            "IN" => "ISONEOF",
            "EQUALS" or "EQUAL" or "EQ" => "EQUALTO",
            "NOTEQUALS" or "NOTEQUAL" or "NE" => "NOTEQUALTO",
            _ => key,
        };
        foreach (var candidate in Enum.GetValues<RuleOperator>())
        {
            if (candidate.ToString().Equals(key, StringComparison.OrdinalIgnoreCase))
            {
                op = candidate;
                return true;
            }
        }

        return false;
    }
}
