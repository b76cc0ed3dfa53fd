using MarketIntel.Pipeline.Validation;

namespace MarketIntel.Pipeline.Tests;

public class PlaceholderDetectorTests
{
    [Theory]
    [InlineData("Welcome to [Offer Name], the fastest path to director.", "[Offer Name]")]
    [InlineData("Brought to you by [Your Company].", "[Your Company]")]
    [InlineData("[Name]", "[Name]")]
    [InlineData("Join [Your Signature Coaching Programme] today", "[Your Signature Coaching Programme]")]
    [InlineData("Ask [Client Name] for a [Testimonial]", "[Client Name]")]
    [InlineData("[Fear 2] keeps her up at night", "[Fear 2]")]
    [InlineData("[Insert guarantee here]", "[Insert guarantee here]")]
    public void A_bracketed_template_slot_is_a_placeholder(string text, string expected) =>
        Assert.Equal(expected, PlaceholderDetector.FindPlaceholder(text));

    [Theory]
    [InlineData("see [the guide](http://x)")]
    [InlineData("Read [The Guide](https://example.com/guide) first.")]
    [InlineData("Read [Visibility Playbook][1] first.")]
    [InlineData("[x] done")]
    [InlineData("[X] done")]
    [InlineData("[ ] not yet")]
    [InlineData("[Five Words Is Too Many]")]
    [InlineData("The [sponsor] plan")]
    [InlineData("A PDF [PDF] export")]
    [InlineData("Section [2] covers pricing")]
    [InlineData("Twelve fortnightly 1:1 sessions of 60 minutes.")]
    public void Ordinary_brackets_are_not_a_placeholder(string text) =>
        Assert.Null(PlaceholderDetector.FindPlaceholder(text));

    [Fact]
    public void The_same_text_always_gives_the_same_answer()
    {
        const string text = "Welcome to [Offer Name] by [Your Company].";

        Assert.Equal(["[Offer Name]", "[Your Company]"], PlaceholderDetector.FindAll(text));
        Assert.Equal(["[Offer Name]", "[Your Company]"], PlaceholderDetector.FindAll(text));
        Assert.True(PlaceholderDetector.HasPlaceholder(text));
        Assert.True(PlaceholderDetector.HasPlaceholder(text));
    }
}
