using System.Linq;
using System.Text;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace DeployOps.HelpCompiler;

/// <summary>
/// Markdown as the plain text a console shows: emphasis and code marks go, a link keeps its text (and its address
/// in parentheses when it is a web address other than the text), an inline tag such as &lt;SERVICE&gt; stays as typed.
/// A paragraph's line breaks become spaces: PowerShell wraps help text to the window itself.
/// </summary>
public static class PlainText
{
    public static string Of(LeafBlock block) => block.Inline is null ? "" : Of(block.Inline).Trim();

    public static string Of(ContainerInline container)
    {
        var text = new StringBuilder();
        AppendChildren(text, container);
        return text.ToString();
    }

    /// <summary>The first link of a paragraph, if any.</summary>
    public static LinkInline? FirstLink(LeafBlock block) => block.Inline?.Descendants<LinkInline>().FirstOrDefault();

    private static void Append(StringBuilder text, Inline inline)
    {
        switch (inline)
        {
            case LinkInline link:
                var label = Of(link);
                text.Append(label);
                if (IsWebAddress(link.Url) && link.Url != label)
                {
                    text.Append(" (").Append(link.Url).Append(')');
                }

                break;
            case ContainerInline container:
                AppendChildren(text, container);
                break;
            case LiteralInline literal:
                text.Append(literal.Content.ToString());
                break;
            case CodeInline code:
                text.Append(code.Content);
                break;
            case AutolinkInline autolink:
                text.Append(autolink.Url);
                break;
            case HtmlInline html:
                text.Append(html.Tag);
                break;
            case HtmlEntityInline entity:
                text.Append(entity.Transcoded.ToString());
                break;
            case LineBreakInline lineBreak:
                text.Append(lineBreak.IsHard ? "\n" : " ");
                break;
        }
    }

    private static void AppendChildren(StringBuilder text, ContainerInline container)
    {
        foreach (var child in container)
        {
            Append(text, child);
        }
    }

    public static bool IsWebAddress(string? url) =>
        url is not null && (url.StartsWith("http://", System.StringComparison.OrdinalIgnoreCase) || url.StartsWith("https://", System.StringComparison.OrdinalIgnoreCase));
}
