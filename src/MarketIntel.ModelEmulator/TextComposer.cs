using System.Globalization;
using System.Text.RegularExpressions;

namespace MarketIntel.ModelEmulator;

/// <summary>
/// Writes the text of one string value: the property name decides the kind (a price, a quote, a name, a rate, a size...)
/// and the business profile of the prompt supplies the facts, so the text reads as written about that business. It never
/// writes a template gap (TBD, [Insert ...], braces, an ellipsis).
/// </summary>
internal sealed partial class TextComposer(Random random, ProfileData profile)
{
    private static readonly string[] FirstNames = ["Sarah", "Priya", "Jennifer", "Michelle", "Rachel", "Laura", "Danielle", "Monica", "Karen", "Olivia", "Natalie", "Vanessa"];
    private static readonly string[] LastNames = ["Mitchell", "Patel", "Nguyen", "Coleman", "Reyes", "Bennett", "Hartley", "Okafor", "Lindqvist", "Ramirez", "Sullivan", "Chen"];
    private static readonly string[] CompanyPatterns = ["Elevate {0} Group", "{0} Collective", "Summit {0} Partners", "BrightPath {0}", "Northstar {0} Institute", "{0} Academy Online"];
    private static readonly string[] OfferPatterns = ["The {0} Accelerator", "{0} Mastery Program", "The {0} Inner Circle", "{0} Fast-Start Kit", "The {0} Blueprint", "VIP {0} Intensive", "{0} Momentum Workshop", "The {0} Playbook"];
    private static readonly string[] Emotions = ["Frustration", "Fear of falling behind", "Hope", "Ambition", "Anxiety", "Relief", "Pride", "Urgency", "Self-doubt", "Confidence"];
    private static readonly string[] Platforms = ["Facebook", "Instagram", "LinkedIn", "YouTube", "Email newsletter", "Podcast sponsorships"];
    private static readonly string[] Behaviors = ["Engaged shoppers", "Small business owners", "Frequent international travelers", "Online course buyers", "Early technology adopters", "Facebook page admins"];
    private static readonly string[] Interests = ["Harvard Business Review", "Leadership development", "Personal development", "Career development", "TED Talks", "Entrepreneurship", "Professional certification", "Forbes"];
    private static readonly string[] Prices = ["$497", "$997", "$1,497", "$1,997", "$2,997", "$4,997"];
    private static readonly string[] Rates = ["12.4% annually (2024-2025)", "9.8% annually (2024-2025)", "14.1% annually (2024-2025)", "11.5% annually (2024-2025)"];
    private static readonly string[] Sizes = ["$4.2 billion", "$3.8 billion", "$6.1 billion", "$2.9 billion"];
    private static readonly string[] Timelines = ["Weeks 1-2", "First 30 days", "Months 2-3", "Within 90 days", "Weeks 3-6"];
    private static readonly string[] Frequencies = ["Twice a year", "Once a quarter", "Every month", "Once a year with a mid-year refresh"];
    private static readonly string[] Durations = ["12 weeks", "90 days", "6 months", "8 weeks"];
    private static readonly string[] Times = ["Tuesday evenings around 8 PM", "Sunday afternoons", "Weekday mornings before 7 AM", "Thursday lunchtime"];
    private static readonly string[] Locations = ["Austin, Texas", "Seattle, Washington", "Denver, Colorado", "Raleigh, North Carolina", "Toronto, Ontario"];

    private static readonly string[] Qualifiers = ["Plus", "Live", "Pro", "Circle", "Edition", "Express", "Select", "Studio"];
    private static readonly string[] CommunityPatterns =
    [
        "{0} Leaders Network", "r/{1}", "{0} Support Circle (Facebook group)", "{0} Professionals on LinkedIn", "The {0} Forum",
        "{0} Insiders Slack", "{0} Women's Collective", "{0} Podcast Listener Club",
    ];
    private static readonly string[] PlanNames = ["Pay in Full", "Three Monthly Payments", "Extended VIP Plan", "Six Monthly Payments"];

    private readonly int _start = random.Next(1000);
    private readonly Dictionary<string, HashSet<string>> _used = new(StringComparer.Ordinal);
    private int _counter;

    /// <summary>Prefer the shorter sentences: the answer must fit a tight output budget.</summary>
    public bool Compact { get; init; }

    /// <summary>The position of the innermost array item being written, and that array's length (-1 and 0 outside arrays).</summary>
    public int ItemIndex { get; set; } = -1;

    /// <summary>
    /// A string for a property, shaped by its schema description as a careful model reads it: "10-15 words" or "in 2-3
    /// sentences" set the length, narrative fields (routines, summaries, scripts, rationales) get a few full sentences,
    /// and no property gets the same value twice in one answer.
    /// </summary>
    public string ComposeFor(string name, IReadOnlyList<string> path, int index, string? description)
    {
        var text = ComposeOnce(name, path, index, description);
        if (Has(Tokens(name), "url", "website", "link", "email", "date"))
        {
            return text; // an address is what it is; a model would not decorate it to make it unique
        }
        var used = _used.TryGetValue(name, out var set) ? set : _used[name] = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var attempt = 0; attempt < 12 && used.Contains(text.Trim()); attempt++)
        {
            text = ComposeOnce(name, path, index + attempt + 1, description);
        }
        for (var attempt = 0; used.Contains(text.Trim()); attempt++)
        {
            var candidate = WordCount(text) >= 8
                ? $"{text} {Sentence(Humanize(name), _start + _counter++)}"
                : $"{text} {Qualifiers[attempt % Qualifiers.Length]}";
            text = attempt >= Qualifiers.Length ? $"{candidate} {attempt}" : candidate;
        }
        used.Add(text.Trim());
        return text;
    }

    private string ComposeOnce(string name, IReadOnlyList<string> path, int index, string? description)
    {
        var tokens = Tokens(name);
        if (WordRange(tokens, description) is not { } range)
        {
            return Compose(name, path, index);
        }
        return Has(tokens, "headline", "title", "hook", "subject", "tagline") && range.Max <= 20
            ? Headline(range.Min, range.Max)
            : Narrative(name, range.Min, range.Max);
    }

    private static readonly string[] NarrativeTokens =
        ["routine", "experience", "summary", "story", "narrative", "description", "script", "explanation", "rationale", "terms", "psychology"];

    /// <summary>The length a field asks for in words: stated in its description, else 25-60 words for narrative fields.</summary>
    internal static (int Min, int Max)? WordRange(HashSet<string> tokens, string? description)
    {
        if (description is not null)
        {
            if (WordsRange().Match(description) is { Success: true } words)
            {
                return (int.Parse(words.Groups["min"].Value, CultureInfo.InvariantCulture), int.Parse(words.Groups["max"].Value, CultureInfo.InvariantCulture));
            }
            if (SentencesRange().Match(description) is { Success: true } sentences)
            {
                var most = int.Parse(sentences.Groups["max"].Success ? sentences.Groups["max"].Value : sentences.Groups["min"].Value, CultureInfo.InvariantCulture);
                return most >= 4 ? (35, 70) : (25, 60);
            }
        }
        return Has(tokens, NarrativeTokens) ? (25, 60) : null;
    }

    /// <summary>A few distinct sentences about the subject, at least <paramref name="min"/> words and at most <paramref name="max"/>.</summary>
    private string Narrative(string name, int min, int max)
    {
        var tokens = Tokens(name);
        var subject = Humanize(name);
        var parts = new List<string>();
        var words = 0;
        if (Has(tokens, "price", "pricing", "cost", "fee"))
        {
            var pricing = PriceSentence(_start + _counter);
            parts.Add(pricing);
            words += WordCount(pricing);
        }
        var pick = _start + _counter++ * 5;
        for (var k = 0; words < min && k < 40; k++)
        {
            var sentence = Sentence(subject, pick + k * 3);
            if (parts.Contains(sentence) || (words > 0 && words + WordCount(sentence) > max))
            {
                continue;
            }
            parts.Add(sentence);
            words += WordCount(sentence);
        }
        return string.Join(' ', parts);
    }

    private string PriceSentence(int pick) => Choose(
    [
        $"Comparable programmes charge {Choose(Prices, pick)} to {Choose(Prices, pick + 2)}, while {profile.BusinessName} asks {profile.Price} for a far more personal result.",
        $"At {profile.Price}, the offer sits above budget apps around $15 a month and below private experts at $250 an hour.",
        $"Buyers already spend {Choose(Prices, pick + 1)} or more on partial fixes, so {profile.Price} reads as a fair price for a complete answer.",
    ], pick);

    /// <summary>A headline of <paramref name="min"/>-<paramref name="max"/> words.</summary>
    private string Headline(int min, int max)
    {
        var pick = _start + _counter++;
        var headline = Choose(
        [
            $"Still stuck with {PainShort}? Here is the plan that finally changes it",
            $"What {AudienceShort} get wrong about {Keyword.ToLowerInvariant()}, and how to fix it fast",
            $"The simple {Keyword.ToLowerInvariant()} shift that gives you back your evenings and your confidence",
            $"Imagine ninety days from now, with {PainShort} finally behind you for good",
            $"Why the usual advice on {Keyword.ToLowerInvariant()} fails people like you, and what works instead",
            $"Your next ninety days could look completely different with the right {Keyword.ToLowerInvariant()} plan",
            $"The quiet mistake keeping {AudienceShort} from the results they deserve",
            $"Stop guessing and start seeing real {Keyword.ToLowerInvariant()} progress within your first month",
            $"How one small weekly habit ended {PainShort} for our clients",
            $"Finally, a {Keyword.ToLowerInvariant()} programme built around your real life, not an ideal one",
            $"The three questions every buyer of {Keyword.ToLowerInvariant()} should ask before spending another dollar",
            $"Ready to feel proud of your progress again? Start with this one change",
            $"What if {PainShort} was never your fault in the first place?",
            $"Inside the method our clients use to get results in ninety days or less",
            $"The honest truth about {Keyword.ToLowerInvariant()} that most experts will never tell you",
            $"Make this the year you finally stop living with {PainShort}",
        ], pick);
        return FitWords(headline, min, max, pick);
    }

    private static readonly string[] Tails = ["starting this week", "without burning out", "in ninety days", "with a clear plan", "step by step"];

    /// <summary>The text lengthened with short tails or cut at a word boundary until it has min-max words.</summary>
    internal static string FitWords(string text, int min, int max, int pick)
    {
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        for (var k = 0; words.Count < min && k < 10; k++)
        {
            words[^1] = words[^1].TrimEnd('.', '?', '!', ',');
            words.AddRange(Choose(Tails, pick + k).Split(' '));
        }
        if (words.Count > max)
        {
            words = words.Take(max).ToList();
            while (words.Count > min && StopWords.Contains(words[^1].TrimEnd(',', '.', '?')))
            {
                words.RemoveAt(words.Count - 1);
            }
            words[^1] = words[^1].TrimEnd(',', ';', ':');
        }
        return string.Join(' ', words);
    }

    /// <summary>A string for a property called <paramref name="name"/> (snake or camel case), inside <paramref name="path"/>.</summary>
    public string Compose(string name, IReadOnlyList<string> path, int index)
    {
        var tokens = Tokens(name);
        var context = path.SelectMany(Tokens).ToHashSet(StringComparer.OrdinalIgnoreCase);
        // Consecutive values walk through the choices, so the items of a list differ from each other.
        var pick = _start + _counter++;

        if (Has(tokens, "name", "names"))
        {
            return NameFor(tokens, context, pick);
        }
        if (Has(tokens, "count", "members", "membership", "followers", "subscribers"))
        {
            return $"{Choose([12, 18, 25, 34, 48, 65, 90, 140], pick)},000 members";
        }
        if (Has(tokens, "structure") && Has(context, "plan", "plans") && ItemIndex >= 0)
        {
            return Choose(
            [
                $"One payment in full of {profile.Price} at enrolment",
                "Three equal monthly payments, the first at enrolment",
                "Six monthly payments with extended VIP access",
                "Four fortnightly payments, the first at enrolment",
            ], ItemIndex);
        }
        if (Has(tokens, "ratio"))
        {
            return Choose(["6:1", "8:1", "10:1"], pick);
        }
        if (Has(tokens, "quote", "quotes", "phrase", "phrases", "saying", "says", "testimonial", "words"))
        {
            return Quote(pick);
        }
        if (Has(tokens, "demographics", "demographic"))
        {
            return Choose(
            [
                $"{UpperFirst(AudienceShort)}, household income around $145,000, living in major US metro areas.",
                $"Mostly {AudienceShort} with a graduate degree and ten or more years of experience.",
            ], pick);
        }
        if (Has(tokens, "psychographics", "psychographic", "values", "beliefs"))
        {
            return Choose(
            [
                $"Values growth and recognition, believes {NicheLower} is an investment, and fears falling behind peers.",
                $"Ambitious and self-directed, reads widely, and wants proof before paying {profile.Price} for anything.",
            ], pick);
        }
        if (Has(tokens, "analysis", "comparison", "positioning") && Has(tokens, "price", "pricing", "cost"))
        {
            return $"{PriceSentence(pick)} {Sentence(Humanize(name), pick)}";
        }
        if (Has(tokens, "fit", "analysis", "strategy", "justification", "rationale", "reason", "description", "summary", "explanation", "why", "how", "problem", "differentiation", "characteristics"))
        {
            return Sentence(Humanize(name), pick);
        }
        if (Has(tokens, "size") || (Has(tokens, "market") && Has(tokens, "2024", "2025", "projected")))
        {
            return Has(tokens, "2025", "projected", "future") ? "$4.7 billion" : Choose(Sizes, pick);
        }
        if (Has(tokens, "rate", "growth", "cagr"))
        {
            return Has(tokens, "conversion", "close", "closing") ? "3.8% of qualified leads" : Choose(Rates, pick);
        }
        if (Has(tokens, "income", "salary"))
        {
            return Choose(["$145,000 per year", "$165,000 per year", "$128,000 per year"], pick);
        }
        if (Has(tokens, "spending", "spend", "budget"))
        {
            return Choose(["$6,500 per year on professional development", "$8,000 per year on coaching and courses", "$4,800 per year on growth programmes"], pick);
        }
        if (Has(tokens, "ltv") || (Has(tokens, "lifetime") && Has(tokens, "value")))
        {
            return "$12,000 over three years";
        }
        if (Has(tokens, "revenue"))
        {
            return "$48,000 per month";
        }
        if (Has(tokens, "price", "value", "cost", "fee", "investment", "amount", "pricing") && !Has(tokens, "analysis", "justification", "strategy", "proposition", "rationale", "reason", "anchor", "why"))
        {
            return Has(tokens, "price", "fee") && index == 0 && !Has(context, "competitor", "competitors") ? profile.Price : Choose(Prices, pick);
        }
        if (Has(tokens, "percent", "percentage", "share"))
        {
            return Choose(["34%", "22%", "41%", "18%"], pick);
        }
        if (Has(tokens, "age", "ages"))
        {
            return Choose(["35-50", "32-48", "38-55"], pick);
        }
        if (Has(tokens, "score", "intensity", "rating"))
        {
            return Choose(["8/10", "7/10", "9/10"], pick);
        }
        if (Has(tokens, "emotion", "emotions", "feeling"))
        {
            return Choose(Emotions, pick);
        }
        if (Has(tokens, "platform", "platforms", "channel", "channels"))
        {
            return Choose(Platforms, pick);
        }
        if (Has(tokens, "interest", "interests"))
        {
            return pick % 3 == 0 ? Keyword : Choose(Interests, pick);
        }
        if (Has(tokens, "behavior", "behaviors", "behaviour", "behaviours"))
        {
            return Choose(Behaviors, pick);
        }
        if (Has(tokens, "timeline", "when", "deadline"))
        {
            return Choose(Timelines, pick);
        }
        if (Has(tokens, "frequency"))
        {
            return Choose(Frequencies, pick);
        }
        if (Has(tokens, "duration", "length", "period", "term"))
        {
            return Choose(Durations, pick);
        }
        if (Has(tokens, "time", "day"))
        {
            return Choose(Times, pick);
        }
        if (Has(tokens, "location", "city", "region"))
        {
            return profile.Find("location") ?? Choose(Locations, pick);
        }
        if (Has(tokens, "url", "website", "link"))
        {
            var topic = NonWord().Replace(Keyword.ToLowerInvariant(), "");
            return Has(context, "community", "communities", "group", "groups", "forum", "forums")
                ? Choose(
                [
                    $"https://www.facebook.com/groups/{topic}circle",
                    $"https://www.reddit.com/r/{topic}",
                    $"https://www.linkedin.com/groups/{topic}-professionals",
                    $"https://{topic}insiders.slack.com",
                    $"https://www.{topic}forum.com",
                    $"https://www.meetup.com/{topic}-network",
                ], pick)
                : $"https://www.{Slug}.com";
        }
        if (Has(tokens, "email"))
        {
            return $"hello@{Slug}.com";
        }
        if (Has(tokens, "date"))
        {
            return "2025-03-14";
        }
        if (Has(tokens, "title", "headline", "subject", "hook", "tagline"))
        {
            return Choose(
            [
                $"How {AudienceShort} Master {Keyword} in 90 Days",
                $"The {Keyword} Shortcut Nobody Talks About",
                $"Stop Guessing: A Proven Path to {Keyword} Results",
            ], pick);
        }
        return Sentence(Humanize(name), pick);
    }

    /// <summary>A sentence of 8 to 20 words about the business, for any free-text field.</summary>
    public string Sentence(string subject, int pick)
    {
        string[] sentences =
        [
            $"Clients of {profile.BusinessName} see results in {NicheLower} within the first ninety days of working together.",
            $"For {AudienceShort}, the {subject} comes down to one thing: {PainShort}.",
            $"{profile.BusinessName} positions its {NicheLower} offer as the fastest route past {PainShort}.",
            $"Most buyers in {NicheLower} have already tried cheaper options and now want a proven, personal path.",
            $"The {subject} is strongest among {AudienceShort} who invest in {NicheLower} every year.",
            $"Demand for {NicheLower} keeps rising as {AudienceShort} look for measurable career and income gains.",
            $"{profile.BusinessName} wins on the {subject} by pairing {DeliveryShort} with direct weekly accountability.",
            $"Buyers compare {NicheLower} providers on results, access to the expert, and how quickly progress shows.",
            $"A clear promise around {NicheLower} lets {profile.BusinessName} charge {profile.Price} without long sales calls.",
            $"The typical buyer discovers {NicheLower} after a setback and decides to invest within two to four weeks.",
            $"Referrals from past clients drive a large share of new {NicheLower} sales for {profile.BusinessName}.",
            $"Ads that name {PainShort} outright earn the strongest response from {AudienceShort}.",
            $"Buyers of {NicheLower} want proof, personal attention and a clear plan.",
            $"{profile.BusinessName} stands out in {NicheLower} through measurable client outcomes.",
            $"Premium {NicheLower} clients pay for speed, certainty and expert access.",
            $"Word of mouth is the main growth engine in {NicheLower} today.",
        ];
        var fitting = sentences.Where(s => WordCount(s) is >= 8 and <= 20).ToList();
        if (Compact && fitting.Where(s => WordCount(s) <= 14).ToList() is { Count: >= 4 } shorter)
        {
            fitting = shorter;
        }
        return fitting.Count > 0
            ? Choose(fitting, pick)
            : $"Demand for {ShortPhrase(profile.Niche, 8).ToLowerInvariant()} keeps rising among buyers who want measurable results.";
    }

    /// <summary>A buyer's words, in the first person.</summary>
    public string Quote(int pick) => Choose(
    [
        $"I've tried everything to fix {PainShort}, and nothing has stuck long enough to matter.",
        $"I know I'm capable of more, but {PainShort} keeps me stuck where I am.",
        $"I don't need more theory about {NicheLower}; I need someone to show me exactly what to do.",
        $"If I could solve {PainShort} this year, everything else would finally fall into place.",
        "I'm tired of watching people who started after me get further ahead.",
        $"I'd happily pay {profile.Price} tomorrow if I knew it would actually work for someone like me.",
        $"I'm exhausted by it: every week it's the same thing, {PainShort}.",
        $"I just want someone who understands {NicheLower} to tell me what actually works.",
        "I've spent so much money on things that promised results and delivered nothing.",
        "I feel like I'm doing everything right and still going backwards.",
        "I keep being told to just try harder, but effort was never the problem.",
        "I don't have hours to figure this out on my own anymore.",
        "I wonder if change is even realistic at this point, or if I'm kidding myself.",
        "I want to feel like myself again, not like I'm constantly fighting uphill.",
        "I'm honestly embarrassed that I haven't fixed this already.",
        "If you show me one person like me who made it work, I'll sign up today.",
    ], pick);

    public string PersonName(int pick) => $"{Choose(FirstNames, pick)} {Choose(LastNames, pick / FirstNames.Length + pick)}";

    public string OfferName(int pick) => string.Format(CultureInfo.InvariantCulture, Choose(OfferPatterns, pick), Keyword);

    public string CompanyName(int pick) => string.Format(CultureInfo.InvariantCulture, Choose(CompanyPatterns, pick), Keyword);

    private string NameFor(HashSet<string> tokens, HashSet<string> context, int pick)
    {
        if (Has(tokens, "business") || (Has(tokens, "brand") && !Has(context, "competitor", "competitors")))
        {
            return profile.BusinessName;
        }
        if (Has(tokens, "competitor", "company", "brand") || Has(context, "competitor", "competitors"))
        {
            return CompanyName(pick);
        }
        if (Has(tokens, "avatar", "person", "first", "full", "customer", "client") || Has(context, "avatar", "persona", "customer"))
        {
            return PersonName(pick);
        }
        if (Has(tokens, "community", "group") || Has(context, "community", "communities"))
        {
            return string.Format(CultureInfo.InvariantCulture, Choose(CommunityPatterns, pick), Keyword, Keyword.Replace(" ", "", StringComparison.Ordinal));
        }
        if ((Has(tokens, "plan") || Has(context, "plan", "plans")) && ItemIndex >= 0)
        {
            return Choose(PlanNames, ItemIndex);
        }
        return OfferName(pick);
    }

    /// <summary>The niche's first words in title case: "Executive Coaching" for "Executive coaching for women in tech".</summary>
    public string Keyword
    {
        get
        {
            var words = profile.Niche.Split([' ', ',', ';', '(', ')', '/'], StringSplitOptions.RemoveEmptyEntries)
                .TakeWhile(w => !StopWords.Contains(w)).Take(2).ToArray();
            if (words.Length == 0)
            {
                words = ["Growth"];
            }
            return string.Join(' ', words.Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
        }
    }

    private static readonly HashSet<string> StopWords = new(StringComparer.OrdinalIgnoreCase) { "for", "of", "in", "to", "and", "with", "who", "the", "a", "an", "on", "at" };

    private string NicheLower => LowerFirst(ShortPhrase(profile.Niche, 10));

    private string AudienceShort => LowerFirst(ShortPhrase(profile.Audience, 7));

    private string PainShort => LowerFirst(ShortPhrase(profile.Pain, 8));

    private string DeliveryShort => LowerFirst(ShortPhrase(profile.Delivery, 6));

    private string Slug => NonWord().Replace(profile.BusinessName.ToLowerInvariant(), "");

    /// <summary>The first clause of a value, at most <paramref name="words"/> words, without closing punctuation.</summary>
    internal static string ShortPhrase(string value, int words)
    {
        var clause = ClauseEnd().Split(value.Trim(), 2)[0].Trim();
        var parts = clause.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length > words)
        {
            parts = parts[..words];
            while (parts.Length > 1 && StopWords.Contains(parts[^1]))
            {
                parts = parts[..^1];
            }
        }
        return parts.Length == 0 ? value.Trim() : string.Join(' ', parts);
    }

    private static string UpperFirst(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static string LowerFirst(string text) =>
        text.Length > 1 && char.IsUpper(text[0]) && !char.IsUpper(text[1]) ? char.ToLowerInvariant(text[0]) + text[1..] : text;

    internal static HashSet<string> Tokens(string name)
    {
        var snake = CamelBoundary().Replace(name, "$1_$2");
        return snake.Split(['_', '-', ' ', '.'], StringSplitOptions.RemoveEmptyEntries)
            .Select(t => t.ToLowerInvariant()).ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    internal static string Humanize(string name)
    {
        var snake = CamelBoundary().Replace(name, "$1_$2");
        var words = snake.Split(['_', '-', ' ', '.'], StringSplitOptions.RemoveEmptyEntries)
            .Where(w => !w.All(char.IsDigit)).Select(w => w.ToLowerInvariant()).ToArray();
        return words.Length == 0 ? "market opportunity" : string.Join(' ', words);
    }

    internal static int WordCount(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;

    private static bool Has(HashSet<string> tokens, params string[] any) => any.Any(tokens.Contains);

    private static T Choose<T>(IReadOnlyList<T> items, int pick) => items[(pick % items.Count + items.Count) % items.Count];

    [GeneratedRegex(@"(?<min>\d+)\s*(?:-|–|to)\s*(?<max>\d+)\s+words", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex WordsRange();

    [GeneratedRegex(@"in (?<min>\d+)(?:\s*(?:-|–|to)\s*(?<max>\d+))?\s+sentences?", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex SentencesRange();

    [GeneratedRegex("([a-z0-9])([A-Z])", RegexOptions.CultureInvariant)]
    private static partial Regex CamelBoundary();

    [GeneratedRegex(@",\s|;|:\s|!|\?|\(|\.\s|\.$", RegexOptions.CultureInvariant)]
    private static partial Regex ClauseEnd();

    [GeneratedRegex("[^a-z0-9]+", RegexOptions.CultureInvariant)]
    private static partial Regex NonWord();
}
