using System.Text;
using System.Text.Encodings.Web;
using Ganss.Xss;
using Markdig;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace MarketIntel.Api.Jobs;

/// <summary>
/// The report (stage 6 Markdown, written by a model and therefore untrusted) as a standalone HTML document: Markdown
/// without raw HTML, then sanitised, so no script, event handler or javascript: URL survives; a table of contents from
/// the H2/H3 headings and an inline stylesheet, nothing fetched from elsewhere.
/// </summary>
public static class ReportRenderer
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UseAdvancedExtensions()
        .DisableHtml()
        .Build();

    private const string Style = """
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.6;color:#1f2328;max-width:60rem;margin:2rem auto;padding:0 1.25rem}
        h1,h2,h3{line-height:1.25}h1{border-bottom:2px solid #d0d7de;padding-bottom:.3em}h2{border-bottom:1px solid #d0d7de;padding-bottom:.2em;margin-top:2em}
        table{border-collapse:collapse;margin:1em 0;display:block;overflow-x:auto}th,td{border:1px solid #d0d7de;padding:.4em .7em;text-align:left;vertical-align:top}
        th{background:#f6f8fa}blockquote{margin:0;padding:0 1em;color:#59636e;border-left:.25em solid #d0d7de}
        nav.toc{background:#f6f8fa;border:1px solid #d0d7de;border-radius:6px;padding:.75em 1.5em;margin:1.5em 0}nav.toc ul{margin:.25em 0}
        code{background:#f6f8fa;padding:.1em .3em;border-radius:4px}@media print{nav.toc{display:none}}
        """;

    /// <summary>Renders <paramref name="markdown"/> into a complete, sanitised HTML document.</summary>
    public static string ToHtml(string markdown, string title)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        var body = new StringBuilder();
        body.Append(TableOfContents(document));
        body.Append(document.ToHtml(Pipeline));
        var safe = CreateSanitizer().Sanitize(body.ToString());

        var encodedTitle = HtmlEncoder.Default.Encode(title);
        return $"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data: https:">
            <title>{encodedTitle}</title>
            <style>
            {Style}
            </style>
            </head>
            <body>
            <main>
            {safe}
            </main>
            </body>
            </html>

            """;
    }

    /// <summary>A list of the H2 headings, each with its H3 headings as a sub-list, linking to the ids the
    /// auto-identifier extension gave them.</summary>
    private static string TableOfContents(MarkdownDocument document)
    {
        var headings = document.Descendants<HeadingBlock>()
            .Where(h => h.Level is 2 or 3 && h.GetAttributes().Id is { Length: > 0 })
            .ToList();
        if (headings.Count == 0)
        {
            return "";
        }
        var html = new StringBuilder("<nav class=\"toc\"><h2>Contents</h2><ul>");
        var inItem = false;
        var inSublist = false;
        foreach (var heading in headings)
        {
            var link = $"<a href=\"#{HtmlEncoder.Default.Encode(heading.GetAttributes().Id!)}\">{HtmlEncoder.Default.Encode(PlainText(heading.Inline))}</a>";
            if (heading.Level == 3 && inItem)
            {
                if (!inSublist)
                {
                    html.Append("<ul>");
                    inSublist = true;
                }
                html.Append("<li>").Append(link).Append("</li>");
                continue;
            }
            if (inSublist)
            {
                html.Append("</ul>");
                inSublist = false;
            }
            if (inItem)
            {
                html.Append("</li>");
            }
            html.Append("<li>").Append(link);
            inItem = true;
        }
        if (inSublist)
        {
            html.Append("</ul>");
        }
        return html.Append("</li></ul></nav>").ToString();
    }

    private static string PlainText(ContainerInline? inline)
    {
        var text = new StringBuilder();
        foreach (var node in inline?.Descendants() ?? [])
        {
            switch (node)
            {
                case LiteralInline literal:
                    text.Append(literal.Content.ToString());
                    break;
                case CodeInline code:
                    text.Append(code.Content);
                    break;
            }
        }
        return text.ToString().Trim();
    }

    /// <summary>The default allow-list (no script, no on* attributes, http/https/mailto URLs only) plus ids for the
    /// headings, so the table of contents links resolve, and the table of contents' class; ids on any other element
    /// and any other class are dropped.</summary>
    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedAttributes.Add("id");
        sanitizer.AllowedAttributes.Add("class");
        sanitizer.AllowedClasses.Add("toc");
        sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is AngleSharp.Dom.IElement element && element.HasAttribute("id")
                && element.LocalName is not ("h1" or "h2" or "h3" or "h4" or "h5" or "h6"))
            {
                element.RemoveAttribute("id");
            }
        };
        return sanitizer;
    }
}
