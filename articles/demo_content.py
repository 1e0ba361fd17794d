"""Demo content for `manage.py load_demo`: original copy on the 23rd India–Russia summit and
its themes."""

AUTHORS = [
    {"username": "anika.rao", "first_name": "Anika", "last_name": "Rao"},
    {"username": "marcus.hale", "first_name": "Marcus", "last_name": "Hale"},
]

TOPICS = [
    {
        "name": "India–Russia",
        "kind": "relationship",
        "parties": ["India", "Russia"],
        "description": (
            "Coverage of the relationship between New Delhi and Moscow, from arms and oil to "
            "trade, payments and diplomacy. The two governments call it a “Special and Privileged "
            "Strategic Partnership”."
        ),
    },
    {
        "name": "S-400",
        "kind": "defence_system",
        "description": (
            "Russia’s long-range surface-to-air missile system, which India has bought despite "
            "American objections. The Indian Air Force regards it as a cornerstone of its air "
            "defences."
        ),
    },
    {
        "name": "Strategic Autonomy",
        "kind": "doctrine",
        "description": (
            "India’s insistence on choosing its partners according to national interest rather "
            "than bloc loyalty. It shapes Delhi’s dealings with Russia, America and Europe alike."
        ),
    },
    {
        "name": "India",
        "kind": "country",
        "description": (
            "The world’s most populous country and a rising power that guards its freedom of "
            "manoeuvre between rival camps."
        ),
    },
    {
        "name": "Russia",
        "kind": "country",
        "description": (
            "A sanctioned and largely Europe-shunned power that has turned to Asia for markets, "
            "partners and diplomatic cover since its invasion of Ukraine."
        ),
    },
    {
        "name": "United States",
        "kind": "country",
        "description": (
            "India’s most important Western partner, whose sanctions and tariffs shape the room "
            "Delhi has for doing business with Moscow."
        ),
    },
    {
        "name": "Su-57",
        "kind": "defence_system",
        "description": (
            "Russia’s fifth-generation stealth fighter, which Moscow is keen to sell to India. "
            "Delhi has so far kept it at arm’s length."
        ),
    },
    {
        "name": "International North-South Transport Corridor",
        "kind": "theme",
        "description": (
            "A planned multimodal trade route linking Indian ports with Russia through Iran and "
            "the Caspian region. Sanctions on Russia have given it new urgency."
        ),
    },
    {
        "name": "Small Modular Reactors",
        "kind": "theme",
        "description": (
            "Compact, factory-built nuclear reactors that promise cheaper, more flexible "
            "low-carbon power. They are a new strand of India–Russia civil nuclear cooperation."
        ),
    },
    {
        "name": "Rupee–Rouble Payments",
        "kind": "theme",
        "description": (
            "Arrangements for settling India–Russia trade in local currencies, outside financial "
            "channels controlled by Western governments."
        ),
    },
    {
        "name": "Aatmanirbhar Bharat",
        "kind": "doctrine",
        "description": (
            "India’s “self-reliant India” drive, which in defence means building more weapons at "
            "home and demanding technology transfer from foreign suppliers."
        ),
    },
    {
        "name": "23rd India–Russia Annual Summit",
        "kind": "event",
        "description": (
            "The December 2025 summit in New Delhi, Vladimir Putin’s first visit to India since "
            "the war in Ukraine began."
        ),
    },
]

ARTICLES = [
    {
        "slug": "putin-in-delhi-an-old-partnership-tries-new-arithmetic",
        "headline": "Putin in Delhi: an old partnership tries out new arithmetic",
        "standfirst": (
            "Vladimir Putin’s first visit to India since the invasion of Ukraine is about more "
            "than arms. Delhi wants a fairer trade ledger; Moscow wants proof that it still has "
            "friends."
        ),
        "status": "published",
        "published_at": "2025-12-05T09:30:00+05:30",
        "authors": ["anika.rao", "marcus.hale"],
        "topics": [
            "23rd India–Russia Annual Summit",
            "India–Russia",
            "S-400",
            "Strategic Autonomy",
            "United States",
        ],
        "key_points": [
            (
                "India’s priority at the 23rd annual summit is to shrink a lopsided trade deficit, "
                "built on discounted Russian crude, by selling Russia more medicines, cars, food "
                "and machinery."
            ),
            (
                "Defence still anchors the relationship, with more S-400 regiments, a "
                "technology-transfer offer and the Su-57 under discussion, but the deals sought "
                "now stretch to shipping, fertilisers and small nuclear reactors."
            ),
            (
                "Both governments are using the visit to send a message to the West: Russia that "
                "it is not isolated, India that its foreign policy is set in Delhi alone."
            ),
        ],
        "body": """\
When Vladimir Putin arrived in Delhi for the 23rd India–Russia Annual Summit, it was his first
visit to India since Russian troops crossed into Ukraine. Europe has all but cut Moscow off;
America has imposed tariffs on India that are tied to its purchases of Russian oil; and India
has become one of the biggest buyers of the crude that Western sanctions were meant to strand.

Yet the two-day state visit is less a reunion than a renegotiation. Both governments still
describe their ties as a “Special and Privileged Strategic Partnership”, a label that has
survived every change of leadership in both capitals. What each side wants from that
partnership, however, is shifting.

## A ledger out of balance

Trade between the two countries reached roughly $63.6 billion in 2024. Almost all of the growth
came from one commodity. Discounted Russian crude poured into Indian refineries; comparatively
little went the other way. The result is a deficit large enough to be a political problem in
Delhi and a practical one for Russian exporters, who are paid in a currency they find hard to
spend.

Indian officials have made shrinking that gap their central aim for the summit. The hope,
according to Indian media reports, is to open the Russian market wider to Indian
pharmaceuticals, automobiles, farm produce (seafood included) and engineering goods. Exporters
would gain a large market in which many Western rivals are no longer competing; the government
talks of jobs at home and better returns for farmers. Just as important is insulation. Delhi
wants its trade with Russia arranged so that pressure from third countries cannot easily switch
it off.

## Beyond the arms bazaar

For decades the relationship rested on weapons. It still does, but the agenda for this visit is
noticeably broader. A cluster of agreements and memorandums of understanding is expected in
sectors that rarely featured at past summits:

- **Shipping and connectivity:** progress on the International North-South Transport Corridor,
  the multimodal route linking Indian ports with Russia via Iran.
- **Healthcare and fertilisers:** long-term supply arrangements, including for the fertilisers
  on which Indian agriculture depends.
- **Civil nuclear energy:** cooperation on newer designs, notably Small Modular Reactors,
  building on Russia’s long role in India’s nuclear programme.
- **Space:** technology transfer to support India’s civilian space programme.

Officials also speak of mobility partnerships, scientific exchanges and cultural ties. Such
items can read like padding. Their purpose is to give the relationship more than one leg to
stand on, so that it does not depend wholly on arms sales or on oil discounts that could shrink
as quickly as they appeared.

## The hardware question

Still, defence remains the core. India has spent years pushing to build more of its own weapons
under the Aatmanirbhar Bharat (“self-reliant India”) banner, yet Russian kit still makes up a
large share of its arsenal, and much of it needs spares, upgrades and servicing. Talks are
expected to cover:

- **More S-400s:** a possible contract for two to three additional regiments of the air-defence
  system, on top of the five India ordered under a 2018 deal worth around $5.4
  billion. The Indian Air Force has called the system a game-changer.
- **Technology transfer:** a Russian offer to share up to 50% of the technology behind the
  system’s missiles, pitched as support for Indian manufacturing.
- **The Su-57:** Russia’s fifth-generation fighter, which Moscow is eager to sell and Delhi has
  so far held at arm’s length.
- **Maintenance and deliveries:** long-term servicing contracts and firmer timetables for
  equipment already on order.

Money runs through all of this. Sanctions have made dollar settlements awkward, so the two
sides are working to finalise rupee–rouble mechanisms that bypass financial channels controlled
by Western governments. Without them, neither the arms trade nor India’s export drive can grow
much.

## A message for Western capitals

Both leaders are also addressing audiences outside the room. For Mr Putin, a ceremonial welcome
in the world’s most populous country is evidence that the West’s attempt to isolate Russia has
failed. Observers in the West have drawn a similar conclusion:

> Moscow, an analyst told The Guardian, no longer frets about the danger of being left
> politically isolated — and a visit such as this is meant to show why.

For India the message is different. Narendra Modi’s government insists on its right to pick
partners according to national interest, especially in energy and defence, and calls this
strategic autonomy. That stance has been tested this year by American tariffs linked to Russian
oil purchases. Hosting Mr Putin with full ceremony is a way of saying that the tariffs have not
changed Delhi’s calculations.

## What to watch

The test is whether substance matches symbolism. A trade relationship built on discounted oil
can contract as fast as it grew if discounts narrow or sanctions tighten. Payment channels must
work reliably, Indian exporters must find Russian buyers, and the corridor through Iran must
overcome sanctions and missing infrastructure. In defence, India will want technology and local
production rather than simply more imports, even as it keeps buying from Western suppliers.

For now, both sides have what they came for: a display of continuity. A partnership rooted in
the Soviet era has outlasted the shock of the war in Ukraine. Whether it can be rebuilt on a
more balanced footing is the question for the years ahead.""",
        "sources": [
            {
                "publication": "The Guardian",
                "note": (
                    "Analyst comment on Russia’s lack of concern about political isolation, "
                    "December 2025"
                ),
            },
            {
                "publication": "Indian media reports",
                "note": "Export priorities, expected agreements and the S-400 proposals",
            },
        ],
    },
    {
        "slug": "why-india-wants-more-s-400-regiments",
        "headline": "Why India wants more S-400s, and what Russia is offering to seal the deal",
        "standfirst": (
            "Ahead of Vladimir Putin’s visit, Delhi is weighing two to three more regiments of the "
            "Russian air-defence system. A partial technology-transfer offer could make the "
            "purchase easier to justify at home."
        ),
        "status": "published",
        "published_at": "2025-12-03T08:00:00+05:30",
        "authors": ["marcus.hale"],
        "topics": [
            "S-400",
            "India–Russia",
            "Aatmanirbhar Bharat",
            "23rd India–Russia Annual Summit",
        ],
        "key_points": [
            (
                "India is reported to be considering two to three further S-400 regiments, on top "
                "of the five bought under a 2018 deal."
            ),
            (
                "Russia has offered to transfer up to half the technology for the system’s "
                "missiles, which would let India present the purchase as part of its "
                "indigenisation drive."
            ),
            (
                "Delivery delays, payment problems and the risk of American objections remain the "
                "main obstacles."
            ),
        ],
        "body": """\
Few weapons have come to define India’s relationship with Russia as much as the S-400. India
ordered five regiments (often called squadrons) of the long-range surface-to-air missile system
in 2018, in a deal worth around $5.4 billion, despite warnings from Washington that the
purchase could invite American sanctions. The Indian Air Force has since called the system a
game-changer. Now, as Vladimir Putin prepares to travel to Delhi for the annual summit, Indian
media report that a contract for two to three more regiments is on the table.

## The case for more

The logic is straightforward. India faces two nuclear-armed neighbours across long land
borders, and its air force has fewer fighter squadrons than it says it needs. Ground-based air
defence with long reach is a comparatively cheap way to complicate an adversary’s planning. The
S-400 is already woven into Indian air-defence networks, crews have been trained and supporting
infrastructure exists. Adding regiments is far simpler than introducing a new system.

It also fits a wider pattern. Russian equipment still makes up a large part of India’s arsenal,
and the maintenance contracts needed to keep it working are themselves a substantial item on
the summit’s agenda.

## The sweetener, and the snags

What makes this round different is Russia’s reported offer to transfer up to 50% of the
technology for the system’s missiles. For a government that has staked much on Aatmanirbhar
Bharat, its campaign to make more weapons at home, that matters. It lets a fresh import be
presented as an investment in domestic manufacturing rather than a deepening of dependence.

Several problems remain:

- **Deliveries:** the war in Ukraine has strained Russia’s defence industry, and parts of the
  original order have reportedly arrived later than planned.
- **Payments:** settling large sums with a sanctioned supplier depends on rupee–rouble
  arrangements that are still being finalised.
- **Washington:** a bigger S-400 fleet could revive American objections at a time when trade
  relations are already strained by tariffs.
- **The fine print:** an offer of “up to” half the technology leaves room for interpretation.
  What counts is whether Indian firms gain real design and production know-how or merely
  assembly work.

If a deal emerges, expect it to be framed as much in terms of Indian jobs and factories as of
air defence. That framing is itself the clearest sign of how the relationship is changing.""",
        "sources": [
            {
                "publication": "Indian media reports",
                "note": "Proposed additional S-400 regiments and the technology-transfer offer",
            },
        ],
    },
    {
        "slug": "rupee-rouble-payments-and-indias-trade-deficit-with-russia",
        "headline": "Can the rupee and the rouble fix India’s lopsided trade with Russia?",
        "standfirst": (
            "Cheap Russian oil has lifted bilateral trade to about $63.6 billion, but it flows "
            "overwhelmingly one way. Local-currency settlement is meant to help; on its own, it "
            "cannot."
        ),
        "status": "published",
        "published_at": "2025-12-06T10:00:00+05:30",
        "authors": ["anika.rao"],
        "topics": [
            "Rupee–Rouble Payments",
            "India–Russia",
            "India",
            "United States",
            "Strategic Autonomy",
        ],
        "key_points": [
            (
                "Bilateral trade of about $63.6 billion in 2024 is dominated by Indian purchases "
                "of discounted Russian crude, leaving India with a large deficit."
            ),
            (
                "Rupee–rouble payment channels are designed to keep trade flowing outside "
                "Western-controlled financial systems, but they work well only if money can "
                "circulate in both directions."
            ),
            (
                "Narrowing the gap depends on Indian exporters of pharmaceuticals, vehicles, food "
                "and engineering goods actually winning Russian customers."
            ),
        ],
        "body": """\
The headline figure looks like success. Trade between India and Russia reached about $63.6
billion in 2024, several times its level before the war in Ukraine. Look closer, though, and
the number largely describes one transaction repeated over and over: Indian refiners buying
Russian crude at a discount. Russia sells India far more than India sells Russia.

That imbalance was a central theme of this week’s summit in Delhi, and it is bound up with a
second problem: how to pay.

## Settling outside the dollar

Western sanctions have made dollar and euro settlements with Russian counterparties risky for
banks. India and Russia have therefore been building mechanisms to settle trade in their own
currencies, through rupee and rouble arrangements that sidestep channels controlled by Western
governments. The aim is both practical and political: to keep goods moving, and to make it
harder for outsiders to interrupt them.

The difficulty is arithmetic. When one side sells much more than it buys, the seller ends up
holding large balances of the buyer’s currency. Russian exporters paid in rupees have limited
ways to use them unless they buy Indian goods, invest in India or convert the money, and each
route has its own frictions. A payment system cannot cure a trade imbalance; at best it exposes
one.

## Selling more to Russia

Hence Delhi’s export push. Officials have singled out pharmaceuticals, automobiles,
agricultural and marine products, and engineering goods as the sectors with most room to grow.
Many Western suppliers have left the Russian market, leaving gaps that Indian firms could fill.
Indian media reports have stressed the potential gains for employment and for farm incomes.

The obstacles are real. Logistics between the two countries are slow and costly, which is one
reason the International North-South Transport Corridor matters. Indian companies that also do
business in America or Europe may fear secondary sanctions. And swings in the rouble make
long-term pricing difficult.

There is also a larger tension. The more India builds financial plumbing designed to bypass
Western systems, the more it invites scrutiny from Washington, which has already imposed
tariffs tied to India’s purchases of Russian oil. Delhi describes its choices as strategic
autonomy. Making that autonomy pay, in the most literal sense, is the harder task.""",
        "sources": [
            {
                "publication": "Indian media reports",
                "note": "India’s export priorities for the Russian market",
            },
        ],
    },
    {
        "slug": "instc-the-long-road-north-for-india-russia-trade",
        "headline": "The long road north: why the North-South corridor matters to India and Russia",
        "standfirst": (
            "A trade route through Iran and the Caspian region has been promised for a quarter of "
            "a century. Sanctions on Russia have given it fresh urgency; delivering it is another "
            "matter."
        ),
        "status": "published",
        "published_at": "2025-12-08T09:00:00+05:30",
        "authors": ["marcus.hale"],
        "topics": [
            "International North-South Transport Corridor",
            "India–Russia",
            "India",
            "Russia",
        ],
        "key_points": [
            (
                "The International North-South Transport Corridor aims to link Indian ports with "
                "Russia via Iran, offering an alternative to the long sea route through the Suez "
                "Canal."
            ),
            (
                "Shipping and connectivity were among the non-defence areas highlighted around the "
                "23rd India–Russia Annual Summit."
            ),
            (
                "Sanctions on Russia and Iran, unfinished infrastructure and cumbersome border "
                "procedures still limit what the corridor can carry."
            ),
        ],
        "body": """\
Maps of the International North-South Transport Corridor (INSTC) make it look simple. Goods
leave India’s west coast by sea, land in Iran and travel north by rail and road, or across the
Caspian Sea, to Russia. India, Iran and Russia first agreed on the idea around the turn of the
century. Its champions argue that it can cut transit times and costs compared with the long sea
route through the Suez Canal and northern Europe.

For much of its life the project was more aspiration than artery. The war in Ukraine changed
the calculation. With European routes largely closed to Russian trade, Moscow has turned south
and east, and India has become a far more important customer.

## Why it matters now

Shipping and connectivity featured among the non-defence agreements expected around this
month’s summit in Delhi, alongside healthcare, fertilisers and civil nuclear energy. For India,
the corridor serves the goal of narrowing its trade deficit with Russia: exporters of
medicines, machinery and food need a quicker, cheaper way to reach Russian customers. For
Russia, it offers a path to the Indian Ocean that does not run through ports and waters where
Western influence is strong.

## The obstacles

The problems are familiar. Important rail links in Iran remain unfinished. Sanctions on both
Iran and Russia deter insurers, banks and shipping lines. Paperwork differs at every border,
and cargo must often change from ship to train to lorry. Indian companies with Western business
interests remain cautious. Payment is a further constraint: the corridor’s value depends partly
on whether rupee–rouble settlement becomes reliable enough for routine commerce.

None of this means the corridor is doomed. Infrastructure projects often look hopeless until,
quite suddenly, they do not. But the INSTC is a reminder that the India–Russia relationship,
for all its diplomatic warmth, still rests on unglamorous questions of rails, ports and customs
forms. Those will decide whether the summit’s ambitions on trade amount to much.""",
        "sources": [],
    },
    {
        "slug": "small-modular-reactors-india-russia-nuclear-cooperation",
        "headline": "Small reactors, big ambitions: the nuclear strand of India–Russia ties",
        "standfirst": (
            "Civil nuclear power is one of the oldest non-military parts of the relationship. "
            "Small Modular Reactors could give it a second life, though not quickly."
        ),
        "status": "draft",
        "published_at": None,
        "authors": ["anika.rao"],
        "topics": ["Small Modular Reactors", "India–Russia", "Aatmanirbhar Bharat"],
        "key_points": [
            (
                "Russia has long been India’s most important foreign partner in civil nuclear "
                "power, and the two sides are now exploring Small Modular Reactors."
            ),
            (
                "SMRs promise factory-built units that can be deployed more flexibly than large "
                "plants, which suits India’s need for clean power for industry and weak grids."
            ),
            (
                "Liability rules, financing under sanctions and the technology’s short commercial "
                "record all stand in the way of quick results."
            ),
        ],
        "body": """\
Away from the headlines about missiles and oil, the 23rd India–Russia Annual Summit also
pointed to quieter forms of cooperation. Civil nuclear energy is among the most significant.
Russia helped build the Kudankulam nuclear plant in Tamil Nadu and has long been India’s most
dependable foreign partner in nuclear power.

## Why small

Small Modular Reactors (SMRs) are, as the name suggests, smaller than conventional plants, with
major components made in factories and shipped to a site rather than built from scratch. In
principle that means lower upfront costs, shorter construction times and the ability to place
reactors close to industrial users or in regions with weak grids. Russia has experience with
small reactors, including a floating plant in its Arctic. India needs far more clean,
round-the-clock power as it tries to loosen its dependence on coal.

Space and nuclear energy were among the newer areas the two governments flagged for
cooperation, alongside shipping, healthcare and fertilisers.

## Why slowly

The obstacles are considerable. India’s rules on nuclear liability have deterred foreign
suppliers in the past. Few SMR designs anywhere have a long commercial record. Financing would
have to work around sanctions on Russian entities, probably through the same rupee–rouble
channels being built for other trade. Public acceptance of new nuclear sites can be slow to
win. And India will want local manufacturing and technology transfer, in keeping with
Aatmanirbhar Bharat.

Expect memorandums, feasibility studies and working groups well before any concrete orders.
Small reactors could yet become a durable pillar of the relationship, but on a timescale of
years, not summits. The most useful near-term work may be unglamorous: joint site studies,
regulatory dialogue and training for Indian engineers. That would keep the strand alive while
larger questions about sanctions and liability are settled.""",
        "sources": [],
    },
    {
        "slug": "the-su-57-question-will-india-buy-russias-stealth-fighter",
        "headline": "The Su-57 question: will India buy Russia’s stealth fighter?",
        "standfirst": (
            "Moscow has been pressing India to buy its fifth-generation jet. Delhi’s reluctance "
            "says much about how its defence priorities have changed."
        ),
        "status": "published",
        "published_at": "future",
        "authors": ["marcus.hale"],
        "topics": ["Su-57", "India–Russia", "Aatmanirbhar Bharat", "Strategic Autonomy"],
        "key_points": [
            (
                "Russia is keen to sell the Su-57 to India, and the jet featured in defence "
                "discussions around the 23rd India–Russia Annual Summit."
            ),
            (
                "India stepped back from a joint fifth-generation fighter programme with Russia "
                "several years ago and is developing its own stealth aircraft."
            ),
            (
                "Any deal would probably hinge on local production and technology transfer, and on "
                "how India weighs its ties with Western suppliers."
            ),
        ],
        "body": """\
Of all the weapons discussed around Vladimir Putin’s visit to Delhi for the 23rd India–Russia
Annual Summit, the Su-57 best captures the dilemmas of the relationship. Russia’s stealth
fighter is its flagship export offer. India’s air force needs more modern combat aircraft. And
yet Delhi has held back for years. Talks around the summit were expected to touch on the
aircraft, alongside maintenance contracts for the Russian equipment India already flies.

## A history of hesitation

India and Russia once planned to develop a fifth-generation fighter together. India stepped
back from that effort around 2018, reportedly over concerns about cost, performance and how
much technology it would receive. It has since put its weight behind its own Advanced Medium
Combat Aircraft, a long-term programme that will take years to reach squadron service.

That leaves a gap. The Indian Air Force has fewer fighter squadrons than it says it needs, and
its neighbours are modernising. An imported stealth jet could help bridge the interval, if
India were confident in both the aircraft and the supplier.

## What would change the calculation

Russia’s pitch is likely to echo its S-400 offer: generous terms on technology transfer and
local production, in line with Aatmanirbhar Bharat. That could make the Su-57 easier to sell at
home. But the war in Ukraine has raised doubts about Russia’s capacity to deliver on time, and
payments would have to flow through rupee–rouble channels that are still being refined.
Washington matters too: a large new purchase of Russian combat aircraft would be read there as
a statement. Questions about how quickly Russia can build the jet in numbers add to the
hesitation.

India’s answer will show what strategic autonomy means in practice: the freedom to buy from
Russia, or the freedom not to. Either way, the choice will be made in Delhi, and on Delhi’s
timetable.""",
        "sources": [],
    },
]
