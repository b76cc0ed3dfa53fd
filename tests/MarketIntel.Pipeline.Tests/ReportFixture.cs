using System.Text;
using MarketIntel.Pipeline.Stages.ReportSynthesis;

namespace MarketIntel.Pipeline.Tests;

/// <summary>Writes a report that follows an outline: every heading, every table, and prose filling it to a word count.</summary>
internal static class ReportFixture
{
    private static readonly string[] Vocabulary =
    [
        "Maya", "needs", "visible", "evidence", "that", "her", "leadership", "impact", "reaches", "the", "committee",
        "before", "calibration", "so", "sponsors", "can", "argue", "for", "promotion", "with", "numbers", "and", "stories",
    ];

    public static string Build(IReadOnlyList<ReportSection> outline, int targetWords = 5500)
    {
        var leaves = outline.Where((s, i) => i + 1 == outline.Count || outline[i + 1].Level <= s.Level).ToHashSet();
        var skeleton = Render(outline, leaves, _ => 0);
        var filler = targetWords - ReportValidator.CountWords(skeleton);
        var perLeaf = filler / leaves.Count;
        var last = leaves.Last();
        return Render(outline, leaves, s => s == last ? filler - perLeaf * (leaves.Count - 1) : perLeaf);
    }

    private static string Render(IReadOnlyList<ReportSection> outline, IReadOnlySet<ReportSection> leaves, Func<ReportSection, int> words)
    {
        var text = new StringBuilder();
        foreach (var section in outline)
        {
            text.AppendLine(section.Heading).AppendLine();
            if (leaves.Contains(section) || section.Table is not null)
            {
                text.AppendLine(Prose(words(section))).AppendLine();
            }
            if (section.Table is { } table)
            {
                text.AppendLine("| " + table.Header + " |");
                text.AppendLine("|" + string.Concat(table.Columns.Select(_ => "---|")));
                for (var r = 1; r <= table.Rows; r++)
                {
                    text.AppendLine("| " + string.Join(" | ", table.Columns.Select(c => $"{c} value {r}")) + " |");
                }
                text.AppendLine();
            }
        }
        return text.ToString();
    }

    private static string Prose(int count) =>
        count <= 0 ? "" : string.Join(' ', Enumerable.Range(0, count).Select(i => Vocabulary[i % Vocabulary.Length])) + ".";
}
