using MarketIntel.Pipeline.Stages;

namespace MarketIntel.Pipeline.Tests;

/// <summary>A complete, realistic research run (stages 2-5) for the Ashley Shaw Consulting profile of <see cref="TestData"/>.</summary>
internal static class ResearchSamples
{
    public const string BuyerPsychology = """
    {
      "buyer_language": [
        {
          "exact_phrase": "I'm doing the job but not getting the title",
          "meaning_context": "Already works at director level without the promotion",
          "emotional_tone": "frustration",
          "usage_frequency": "high",
          "marketing_application": "Lead headline for promotion-focused ads"
        },
        {
          "exact_phrase": "Leadership doesn't see my impact",
          "meaning_context": "Her results are invisible to decision makers",
          "emotional_tone": "frustration",
          "usage_frequency": "high",
          "marketing_application": "Hook for the visibility webinar"
        },
        {
          "exact_phrase": "I don't want to be the loud one",
          "meaning_context": "Dislikes self-promotion that feels fake",
          "emotional_tone": "fear",
          "usage_frequency": "high",
          "marketing_application": "Reassure that visibility can be quiet and factual"
        },
        {
          "exact_phrase": "I keep getting told I'm not ready",
          "meaning_context": "Vague feedback blocks advancement",
          "emotional_tone": "shame",
          "usage_frequency": "medium",
          "marketing_application": "Email subject for the readiness checklist"
        },
        {
          "exact_phrase": "I want a seat at the table",
          "meaning_context": "Wants to shape strategy, not just execute",
          "emotional_tone": "desire",
          "usage_frequency": "high",
          "marketing_application": "Desire-based ad copy"
        },
        {
          "exact_phrase": "Everyone else seems to have a sponsor",
          "meaning_context": "Sees peers pulled up by senior allies",
          "emotional_tone": "frustration",
          "usage_frequency": "medium",
          "marketing_application": "Story angle about sponsor building"
        },
        {
          "exact_phrase": "I'm exhausted from proving myself twice",
          "meaning_context": "Feels the double standard for women in tech",
          "emotional_tone": "frustration",
          "usage_frequency": "high",
          "marketing_application": "Empathy opener on the sales page"
        },
        {
          "exact_phrase": "I finally want credit for my work",
          "meaning_context": "Seeks recognition proportional to output",
          "emotional_tone": "hope",
          "usage_frequency": "medium",
          "marketing_application": "Testimonial framing"
        },
        {
          "exact_phrase": "My manager is my only advocate",
          "meaning_context": "Single point of failure in her career",
          "emotional_tone": "fear",
          "usage_frequency": "medium",
          "marketing_application": "Problem agitation in webinar"
        },
        {
          "exact_phrase": "I'd be proud to lead an org of 100",
          "meaning_context": "Pictures herself as a VP",
          "emotional_tone": "pride",
          "usage_frequency": "low",
          "marketing_application": "Future-pacing paragraph"
        },
        {
          "exact_phrase": "I should have negotiated harder",
          "meaning_context": "Regrets past salary and level decisions",
          "emotional_tone": "shame",
          "usage_frequency": "medium",
          "marketing_application": "Negotiation bonus copy"
        }
      ],
      "top_fears": [
        {
          "name": "Being permanently stuck below director",
          "intensity": 9,
          "quote": "If I don't move up in the next two years, I never will.",
          "root_emotion": "dread",
          "purchase_blocker": "Doubts any programme can change a decision made by others",
          "how_offer_addresses": "Impact mapping gives her a 90-day promotion case",
          "is_surface_fear": false
        },
        {
          "name": "Looking self-promotional",
          "intensity": 8,
          "quote": "I refuse to become the person who brags in every meeting.",
          "root_emotion": "shame",
          "purchase_blocker": "Fears coaching will push her into a persona she hates",
          "how_offer_addresses": "Executive narrative work keeps visibility factual and authentic",
          "is_surface_fear": true
        },
        {
          "name": "Wasting money on another coach",
          "intensity": 7,
          "quote": "I spent $4,000 on a coach who just asked how I felt.",
          "root_emotion": "distrust",
          "purchase_blocker": "Prior coaching gave no measurable result",
          "how_offer_addresses": "Milestone guarantee tied to stakeholder review outcomes",
          "is_surface_fear": false
        }
      ],
      "top_desires": [
        {
          "name": "Director title within 12 months",
          "intensity": 9,
          "aspirational_quote": "I want my title to match the work I already do.",
          "deeper_meaning": "Validation that her competence is seen",
          "timeline_expectation": "6-12 months",
          "willingness_to_pay": "$20,000-$30,000",
          "how_business_delivers": "Promotion case and sponsor plan built in the first 90 days"
        },
        {
          "name": "Influence on strategy",
          "intensity": 8,
          "aspirational_quote": "I want to be in the room where the roadmap is decided.",
          "deeper_meaning": "Impact beyond her own team",
          "timeline_expectation": "Within a year",
          "willingness_to_pay": "$15,000",
          "how_business_delivers": "Executive narrative and quarterly stakeholder reviews"
        },
        {
          "name": "Time back for family",
          "intensity": 7,
          "aspirational_quote": "I want to lead without working every weekend.",
          "deeper_meaning": "Balance between career and family",
          "timeline_expectation": "3-6 months",
          "willingness_to_pay": "$10,000",
          "how_business_delivers": "Delegation and visibility rhythms that replace overwork"
        }
      ],
      "top_pain_points": [
        {
          "frustration": "Promotion feedback is vague",
          "quote": "They keep saying next cycle and never tell me what is missing.",
          "root_emotion": "anger",
          "what_theyve_tried": "Asking her manager for a development plan",
          "why_it_didnt_work": "The manager has no power over the calibration committee",
          "how_unique_mechanism_solves": "Impact mapping turns feedback into evidence the committee reads"
        },
        {
          "frustration": "Her work is credited to others",
          "quote": "My slides ended up in my VP's deck with his name on them.",
          "root_emotion": "anger",
          "what_theyve_tried": "Sending weekly status emails",
          "why_it_didnt_work": "Nobody reads status emails",
          "how_unique_mechanism_solves": "Sponsor building gives her direct exposure to senior leaders"
        },
        {
          "frustration": "Too many meetings, no strategic time",
          "quote": "I spend all day unblocking people and nights doing my own work.",
          "root_emotion": "overwhelm",
          "what_theyve_tried": "Time-blocking apps",
          "why_it_didnt_work": "Apps do not change what others expect of her",
          "how_unique_mechanism_solves": "The framework sets visible priorities with her leadership"
        },
        {
          "frustration": "Imposter feelings before big presentations",
          "quote": "I rehearse for hours and still feel like a fraud.",
          "root_emotion": "fear",
          "what_theyve_tried": "Public speaking courses",
          "why_it_didnt_work": "Generic courses ignore the politics of the room",
          "how_unique_mechanism_solves": "Executive narrative prepares the story, not just the delivery"
        },
        {
          "frustration": "Guilt about time away from kids",
          "quote": "Every late night feels like I'm failing at home.",
          "root_emotion": "guilt",
          "what_theyve_tried": "Cutting sleep",
          "why_it_didnt_work": "It burns her out and hurts her work",
          "how_unique_mechanism_solves": "A 6-month plan focuses effort on the few moves that matter"
        }
      ],
      "barriers": [
        {
          "barrier": "I can't justify $25,000 for myself",
          "type": "internal",
          "objection_handling_script": "Compare it with the $60,000 raise a director title brings in year one; the programme pays for itself in five months."
        },
        {
          "barrier": "My company won't reimburse it",
          "type": "external",
          "objection_handling_script": "We provide a business case template that 40% of clients use to get employer funding."
        },
        {
          "barrier": "I don't have time right now",
          "type": "internal",
          "objection_handling_script": "The programme takes two hours a fortnight and replaces hours of unfocused overwork."
        }
      ],
      "price_justification": "A director promotion adds $50,000-$80,000 a year in salary and equity; at $25,000 the programme returns 2-3x in the first year and more than 10x over five years."
    }
    """;

    public const string CompetitiveAnalysis = """
    {
      "competitors": [
        {
          "name": "BetterUp",
          "price_point": "$3,000-$5,000 per year via employer",
          "positioning": "Scalable coaching platform for whole workforces",
          "strengths": [
            "Large coach network",
            "Employer-paid"
          ],
          "weaknesses": [
            "Generic coaching not tied to promotion",
            "Coaches rotate often"
          ],
          "target_audience": "Employees of large companies with coaching benefits"
        },
        {
          "name": "Torch",
          "price_point": "$6,000-$10,000 per leader per year",
          "positioning": "Leadership development with mentoring and analytics",
          "strengths": [
            "Strong HR reporting",
            "Blends coaching and mentoring"
          ],
          "weaknesses": [
            "Sold to HR, not to the individual",
            "Little focus on women in tech"
          ],
          "target_audience": "HR leaders at mid-size tech firms"
        },
        {
          "name": "The Muse Coaching",
          "price_point": "$200-$600 per session",
          "positioning": "Career coaching for job seekers and switchers",
          "strengths": [
            "Easy to book",
            "Low entry price"
          ],
          "weaknesses": [
            "Session-based with no long plan",
            "Focused on job search, not internal promotion"
          ],
          "target_audience": "Mid-career professionals changing jobs"
        }
      ],
      "positioning_gaps": [
        "No provider builds a promotion case the calibration committee can read",
        "Nobody teaches quiet, evidence-based visibility",
        "Sponsor building is left to chance",
        "Programmes ignore the double standard women face",
        "No outcome guarantee tied to stakeholder feedback"
      ],
      "differentiation_opportunities": [
        "Promotion-case deliverable in 90 days",
        "Stakeholder reviews every quarter",
        "Women-in-tech specific cohort community",
        "Milestone-based guarantee",
        "Employer-funding business case kit"
      ],
      "unique_value_proposition": "We help senior women in tech earn the director title they already work at through the Strategic Visibility Framework, without turning into self-promoters.",
      "competitive_pricing_analysis": "Budget session-based coaching sits at $200-$600 per session, platform coaching at $3,000-$10,000 a year, premium executive coaching at $20,000-$40,000. Ashley Shaw Consulting belongs at $25,000 in the premium band.",
      "why_business_wins": [
        "Built only for women in tech leadership",
        "Delivers a promotion case, not just conversations",
        "Works with the client's real stakeholders",
        "Guarantee tied to measurable milestones",
        "Founder was a director at a public tech company"
      ]
    }
    """;

    public const string AvatarCreation = """
    {
      "avatar_name": "Maya Chen",
      "demographics": {
        "age_range": "38",
        "household_income": "$310,000",
        "geographic_location": "Seattle, Washington",
        "profession_industry": "Principal Software Engineering Manager, cloud software",
        "family_status": "Married, two children aged 6 and 9",
        "education": "MS Computer Science, University of Washington"
      },
      "psychographics": {
        "core_values": [
          "Competence",
          "Fairness",
          "Family",
          "Growth"
        ],
        "beliefs_about_niche": "Coaching helps only if it changes what senior leaders see; pep talks are wasted money.",
        "daily_lifestyle": "Long meetings, school runs, late-night code reviews and a Saturday run.",
        "media_consumption": [
          "Lenny's Podcast",
          "Harvard Business Review",
          "LinkedIn posts by Lara Hogan",
          "The Pragmatic Engineer newsletter"
        ]
      },
      "day_in_life": {
        "morning_routine": "Maya wakes at 6:00, scans Slack for overnight incidents while making breakfast, and drops both kids at school before a 8:30 stand-up she runs from the car.",
        "workday_experience": "Her calendar is back-to-back with one-on-ones, design reviews and escalations, and the strategic planning document she owns waits untouched until the last hour of the day.",
        "evening_routine": "After dinner and bedtime stories she reopens her laptop at 9:00 to finish the roadmap, often noticing her VP presented her ideas earlier that day.",
        "weekend_routine": "Saturdays are for a long run and the kids' soccer, but Sunday evening she dreads Monday's calibration prep and drafts self-review notes nobody asked for.",
        "pain_point_moments": [
          "Seeing her slides in her VP's deck",
          "A skip-level meeting where she is not invited",
          "Vague feedback in the promotion cycle",
          "Sunday night self-review drafting",
          "A peer promoted ahead of her"
        ]
      },
      "buying_triggers": {
        "optimal_contact_days": [
          "Tuesday",
          "Sunday"
        ],
        "optimal_contact_times": [
          "7-8 am PT",
          "9-10 pm PT"
        ],
        "decision_making_windows": "Right after a promotion cycle closes in March and September",
        "platform_preferences": [
          "LinkedIn",
          "Instagram"
        ],
        "content_format_preferences": [
          "Short case studies",
          "Live Q&A webinars"
        ]
      },
      "online_communities": [
        {
          "platform": "Slack",
          "name": "Rands Leadership Slack",
          "member_count": "20,000 members",
          "engagement_level": "high",
          "trust_factor": "Peers share real promotion stories",
          "tone_and_norms": "Candid, no selling",
          "top_topics": [
            "Promotions",
            "Managing managers",
            "Calibration"
          ],
          "top_post_examples": [
            "How do I get to director?",
            "Calibration went badly again",
            "Sponsor vs mentor"
          ],
          "advertising_opportunity": "Answer questions and host an AMA"
        },
        {
          "platform": "LinkedIn",
          "name": "Women in Tech Leadership",
          "url": "https://www.linkedin.com/groups/women-in-tech-leadership",
          "member_count": "85,000 members",
          "engagement_level": "medium",
          "trust_factor": "Members use real names and titles",
          "tone_and_norms": "Professional and supportive",
          "top_topics": [
            "Visibility",
            "Negotiation",
            "Burnout"
          ],
          "top_post_examples": [
            "Passed over again",
            "Negotiating a director offer",
            "Balancing kids and on-call"
          ],
          "advertising_opportunity": "Sponsored posts with case studies"
        },
        {
          "platform": "Reddit",
          "name": "r/ExperiencedDevs",
          "member_count": "250,000 members",
          "engagement_level": "high",
          "trust_factor": "Anonymous honesty",
          "tone_and_norms": "Skeptical of marketing",
          "top_topics": [
            "Career ladders",
            "Staff vs manager track",
            "Layoffs"
          ],
          "top_post_examples": [
            "Is the director title worth it?",
            "My manager takes credit",
            "How to be visible remotely"
          ],
          "advertising_opportunity": "Helpful long-form answers linking to a free guide"
        }
      ],
      "top_3_hopes": [
        "Be promoted to director within a year",
        "Be seen as a strategic leader",
        "Work fewer evenings"
      ],
      "top_3_fears": [
        "Staying stuck forever",
        "Being seen as pushy",
        "Wasting money again"
      ],
      "top_3_barriers": [
        {
          "barrier": "Price",
          "solution": "Employer-funding business case kit"
        },
        {
          "barrier": "Time",
          "solution": "Two hours a fortnight, scheduled around school runs"
        },
        {
          "barrier": "Skepticism about coaching",
          "solution": "Milestone guarantee and client case studies"
        }
      ],
      "recommended_tone": "Direct, evidence-based and warm; talk like a senior peer, never like a cheerleader.",
      "price_sensitivity": "medium",
      "price_sensitivity_justification": "High income but she pays herself and wants proof of return before spending $25,000."
    }
    """;

    public const string OfferDesign = """
    {
      "core_offer": {
        "offer_name": "The Leadership Breakthrough Accelerator",
        "target_outcome": "A director promotion or offer within 12 months, with a promotion case ready in 90 days",
        "pain_points_solved": [
          "Invisible impact",
          "Vague promotion feedback",
          "Overwork"
        ],
        "desires_delivered": [
          "Director title",
          "Strategic influence",
          "Time back"
        ],
        "unique_positioning": "The only programme that builds a promotion case with the client's real stakeholders"
      },
      "pricing_tiers": [
        {
          "tier_number": 1,
          "tier_name": "Visibility Foundations",
          "price": 11000,
          "deliverables": [
            "Impact map",
            "Promotion case template",
            "Six group sessions",
            "Community access",
            "Self-review toolkit"
          ],
          "best_for": "Managers a cycle or two from promotion",
          "is_recommended": false
        },
        {
          "tier_number": 2,
          "tier_name": "Signature Accelerator",
          "price": 25000,
          "deliverables": [
            "Twelve 1:1 sessions",
            "Impact map",
            "Sponsor plan",
            "Executive narrative",
            "Two stakeholder reviews",
            "Community access"
          ],
          "best_for": "Principal managers ready for director",
          "is_recommended": true
        },
        {
          "tier_number": 3,
          "tier_name": "Executive Partnership",
          "price": 45000,
          "deliverables": [
            "Weekly 1:1 sessions",
            "Unlimited messaging",
            "Four stakeholder reviews",
            "Negotiation support",
            "Executive presence intensive",
            "Board-style mock calibration"
          ],
          "best_for": "Directors aiming for VP",
          "is_recommended": false
        }
      ],
      "payment_plans": [
        {
          "name": "Pay in full",
          "structure": "One payment of $25,000",
          "total_cost": 25000
        },
        {
          "name": "Three payments",
          "structure": "3 monthly payments of $9,167",
          "total_cost": 27501
        },
        {
          "name": "Six payments",
          "structure": "6 monthly payments of $5,000",
          "total_cost": 30000
        }
      ],
      "marketing_messages": [
        {
          "type": "pain-based",
          "headline": "You already do director-level work so why does the title keep going to someone else",
          "usage": "LinkedIn ad and email subject line"
        },
        {
          "type": "pain-based",
          "headline": "Tired of seeing your best slides in your VP's deck with his name on them",
          "usage": "LinkedIn ad and email subject line"
        },
        {
          "type": "pain-based",
          "headline": "Another promotion cycle of vague feedback is one cycle too many for your career",
          "usage": "LinkedIn ad and email subject line"
        },
        {
          "type": "pain-based",
          "headline": "Stop working every evening to prove what leadership should already see in your results",
          "usage": "LinkedIn ad and email subject line"
        },
        {
          "type": "pain-based",
          "headline": "If next cycle keeps becoming next year your career needs a different plan now",
          "usage": "LinkedIn ad and email subject line"
        },
        {
          "type": "desire-based",
          "headline": "Earn the director title that matches the work you already deliver every single week",
          "usage": "LinkedIn ad and email subject line"
        },
        {
          "type": "desire-based",
          "headline": "Walk into the roadmap meeting as the leader everyone expects to hear from first",
          "usage": "LinkedIn ad and email subject line"
        },
        {
          "type": "desire-based",
          "headline": "Get promoted within twelve months without becoming the loudest person in the room",
          "usage": "LinkedIn ad and email subject line"
        },
        {
          "type": "desire-based",
          "headline": "Lead a larger organisation and still be home for dinner with your kids",
          "usage": "LinkedIn ad and email subject line"
        },
        {
          "type": "desire-based",
          "headline": "Turn your quiet results into a promotion case your calibration committee cannot ignore",
          "usage": "LinkedIn ad and email subject line"
        },
        {
          "type": "curiosity",
          "headline": "The one document senior women in tech send before every calibration meeting",
          "usage": "LinkedIn ad and email subject line"
        },
        {
          "type": "curiosity",
          "headline": "Why the most promoted engineering managers spend less time on status updates",
          "usage": "LinkedIn ad and email subject line"
        },
        {
          "type": "curiosity",
          "headline": "What calibration committees actually read when they decide who becomes director",
          "usage": "LinkedIn ad and email subject line"
        },
        {
          "type": "curiosity",
          "headline": "The sponsor conversation most women in tech never think to start this year",
          "usage": "LinkedIn ad and email subject line"
        },
        {
          "type": "curiosity",
          "headline": "How a principal manager in Seattle got promoted in nine months without bragging",
          "usage": "LinkedIn ad and email subject line"
        }
      ],
      "guarantee": {
        "guarantee_text": "Complete the impact map, hold the two stakeholder reviews and follow the sponsor plan for 90 days. If you do not have a written promotion case that your manager agrees to champion in the next calibration cycle, we keep coaching you at no cost until you do, or refund your last two payments. You take no risk of paying for conversations that lead nowhere.",
        "why_it_works": "It answers the fear of wasting money on coaching that changes nothing, and ties the promise to a milestone she controls."
      },
      "bonuses": [
        {
          "name": "Calibration Playbook",
          "value": 1500,
          "addresses_desire": "Director title",
          "how_it_speeds_results": "Shows exactly what committees read"
        },
        {
          "name": "Negotiation Scripts",
          "value": 1000,
          "addresses_desire": "Credit for her work",
          "how_it_speeds_results": "Secures the right level and pay once promoted"
        },
        {
          "name": "Employer Funding Kit",
          "value": 500,
          "addresses_desire": "Time back",
          "how_it_speeds_results": "Removes the budget barrier in a week"
        }
      ],
      "first_campaign": {
        "platform": "LinkedIn",
        "message": "You already do director-level work; let's make it visible.",
        "offer_configuration": "Signature tier with all three bonuses, enrolment closes after 10 seats",
        "launch_timeline": "Webinar on Tuesday 7 pm PT in the week after the March promotion cycle; cart open 7 days"
      }
    }
    """;

    /// <summary>Outputs of stages 1 to <paramref name="throughStage"/>, as the runner would hand them to a later stage.</summary>
    public static IReadOnlyDictionary<int, string> Outputs(int throughStage) =>
        new Dictionary<int, string>
        {
            [1] = MarketAnalysisStageTests.ValidOutput,
            [2] = BuyerPsychology,
            [3] = CompetitiveAnalysis,
            [4] = AvatarCreation,
            [5] = OfferDesign,
        }.Where(p => p.Key <= throughStage).ToDictionary();

    public static StageInput Input(int throughStage) => TestData.Input(Outputs(throughStage));
}
