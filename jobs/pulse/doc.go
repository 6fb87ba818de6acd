// Package pulse computes the daily Market Pulse, a 0–10 score of crypto-news
// sentiment for one UTC day and one scope ("global" or a coin ticker), and
// draws its 30-day chart. 0 is extreme fear, 5.0 neutral, 10 extreme greed;
// each pulse carries its components, the stories that pushed it most and one
// or two sentences saying why.
//
// # Place in the dependency graph
//
// pulse is a pure leaf: it imports only the standard library and go-chart
// (for Chart), never store, bot or another job. The jobs layer loads a day's
// stories and the previous days' pulses from the store, calls [Compute] and
// stores the result (Volume and Balance feed the next days' History); bot may
// call [Chart] on stored pulses. Nothing here does I/O or keeps state.
//
// # Stories, not articles
//
// The unit is the story (one event, however many outlets ran it). A story
// weighs w = 1 + ln(outlets): 1 for one outlet, 3.08 for eight. Syndication
// says an event matters, but eight copies of a wire story are not eight
// events, so eight independent stories with the same sentiment move the
// score more than one story carried by eight outlets.
//
// # Components
//
// Each component has a raw Value and a 0–10 sub-score, mostly
// 5 + 5·tanh(Value/scale) (linear near 5, saturating rather than clipping):
//
//   - balance (weight 0.45): outlet-weighted mean story sentiment, in [-1, 1];
//     scale 0.20, since most crypto news is neutral and ±0.2 is a one-sided day.
//   - share (0.25): net bullish share, (Σ w·conf over bullish labels −
//     Σ w·conf over bearish labels) / Σ w over all stories, in [-1, 1];
//     scale 0.25. Neutral stories dilute it; classifier confidence discounts
//     unsure labels.
//   - volume (0.15): the day's outlet-weighted volume Σ w divided by the median
//     Volume of the pulses of the last 30 days (at least 3 needed, else
//     neutral). Volume has no direction of its own: news surges come with
//     crashes and rallies alike. Above the baseline it amplifies the day's
//     lean (the direction of balance and share): sub-score
//     5 + 5·lean·tanh(ln(ratio)/ln 3). A quiet day scores 5, i.e. it adds no
//     push and slightly dilutes the others.
//   - momentum (0.15): today's balance minus the mean Balance of the previous
//     seven days, weighted by each day's Volume (the week's stories pooled,
//     so a one-story day cannot swing the reference); scale 0.15. This makes
//     the pulse partly relative, as Fear & Greed is: a day as upbeat as its
//     week is less greedy than a day that turned upbeat. It is the noisiest
//     component (a difference of two means), hence the smallest weight.
//
// The raw total is 5 + Σ weight·(sub-score − 5).
//
// # Shrinkage and confidence
//
// Few stories say little, so the deviation from 5.0 is multiplied by
// n/(n + [PriorStories]) with n the effective sample size (Σw)²/Σw² (Kish):
// the number of equally weighted stories carrying as much information, never
// more than the story count. With PriorStories = 5, a day of two stories
// keeps at most 2/7 of its deviation (≤ ±1.43 points), five even stories
// half, twenty 80%. Confidence is "low" below [MinCoinStories] stories or
// below 3 effective stories, "medium" below 20 effective, else "high".
// Scores are clamped to 0–10 and rounded to one decimal.
//
// Against Alternative.me's Fear & Greed on the shared 2020 headlines
// (TestFearAndGreedSpearman, about three headlines a day), no series built
// from headlines stands out of the noise: pulsebot's labels, FinBERT's and
// the team's hand labels all stay inside the band that unrelated series of
// the same autocorrelation reach. A pulse needs dozens of stories to mean
// much, which is what the shrinkage and confidence encode.
//
// # Bands
//
// Five equal bands, as Fear & Greed splits 0–100 ([BandOf]): Extreme Fear
// [0,2), Fear [2,4), Neutral [4,6), Greed [6,8), Extreme Greed [8,10].
//
// # Deltas, top stories, determinism
//
// Deltas compare the rounded score with the pulses 1, 7 and 30 days before
// (nil when History lacks that day). The top stories each way rank by
// w × |sentiment| × confidence (how much a story moves the score) among
// stories whose label agrees with their sentiment's sign; ties go to the
// lower ID. Stories are summed in ID order so the result does not depend on
// input order. Every rendering carries [Disclaimer].
package pulse
