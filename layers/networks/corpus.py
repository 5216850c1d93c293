"""Word pools for synthetic adverts: sentences with network-fixed choices and advert slots.

``<a|b|c>`` is chosen once per network (a controller's habits of wording); ``{slot}`` changes
per advert (name, age, town, price). Stock phrases and agency boilerplate are shared across
unrelated networks on purpose: they are what the linker must not match on. Every name and
phrase here is invented for synthetic data.
"""

from __future__ import annotations

NAMES = (
    "Anna", "Bella", "Carla", "Daria", "Elena", "Fiona", "Gina", "Hana", "Ines", "Jana", "Kira",
    "Lara", "Maya", "Nina", "Olga", "Paula", "Rita", "Sara", "Tina", "Vera", "Wanda", "Yana",
    "Zara", "Alina", "Bianca", "Chloe", "Dora", "Eva", "Flora", "Greta", "Ivy", "Julia", "Katia",
    "Lena", "Mila", "Nora", "Oksana", "Petra", "Roxy", "Sofia", "Tanya", "Ula", "Vicky", "Xena",
    "Amber", "Brooke", "Crystal", "Dana", "Emmy", "Faye", "Gabi", "Holly", "Izzy", "Jade",
)  # fmt: skip
NATIONALITIES = (
    "Romanian", "Polish", "Brazilian", "Thai", "Chinese", "Hungarian", "Czech", "Latvian",
    "Lithuanian", "Bulgarian", "Spanish", "Italian", "Vietnamese", "Albanian", "Nigerian",
    "Colombian", "Ukrainian", "Slovak", "Portuguese", "Filipino",
)  # fmt: skip
PRICES = ("60", "70", "80", "90", "100", "120", "130", "150", "180", "200")
ADJECTIVES = (
    "sweet", "friendly", "playful", "elegant", "gentle", "cheeky", "classy", "bubbly", "shy",
    "naughty", "petite", "curvy", "slim", "tall", "busty", "sporty", "young", "mature", "exotic",
    "stunning", "charming", "caring", "fun", "wild", "relaxed", "passionate", "tender", "lovely",
)  # fmt: skip
SENTENCES = (
    "Hi <gentlemen|guys|darling|honey|boys> my name is {name} and I am {age}",
    "I am a <adj> and <adj> {nationality} girl",
    "<Hello|Hey|Welcome|Good evening> I am {name}, {age} years <young|old|of fun>",
    "just arrived in {town} for a <short|few days|limited> <visit|stay|time>",
    "visiting {town} <this week|for a few days|only until sunday>",
    "my <apartment|flat|place|studio> is <clean|private|quiet|warm> and <close to|near|next "
    "to> the <station|centre|motorway|park>",
    "I love <massage|cuddles|dinner dates|long chats|company> and "
    "<dancing|wine|films|shopping|travel>",
    "<come|pop round|visit me> for a <relaxing|fun|memorable|special> <time|evening|hour|meeting>",
    "<incall|outcall|in and out> <only|available|possible> <today|tonight|all day|from 10am>",
    "{price} <per hour|for an hour|hourly|an hour> <half hour|30 min|short> <on "
    "request|available|negotiable>",
    "<prices|rates|donations> from {price}, <no|zero> <haggling|bargaining|negotiation> please",
    "I am <very|really|so> <adj> and <always|usually|often> <smiling|happy|in a good mood>",
    "my <photos|pics|pictures> are <recent|new|taken this month> and <untouched|not edited|honest>",
    "<text|message|whatsapp> me <first|before you come|anytime> <for address|for location|to book>",
    "<please|kindly> <be respectful|be clean|be on time|respect my rules>",
    "<I speak|speaking> <little|good|some> English and <love|like|enjoy> to <learn|laugh|talk>",
    "<treat yourself|spoil yourself|you deserve it> with <adj> {name}",
    "<no|never> <rush|hurry|clock watching> with me, <adj> <service|company|experience>",
    "<available|here|around> <mornings|evenings|late nights|weekends> <too|as well|also>",
    "<gentlemen|clients|visitors> <over 30|of all ages|from everywhere> <welcome|very welcome>",
    "<parking|free parking|street parking> <nearby|outside|available> <for you|easy>",
    "I have <long|dark|blonde|red|brown> hair and <green|blue|brown|hazel> eyes",
    "<size|dress size> <6|8|10|12> and <adj> <figure|body|curves>",
    "<book|reserve> <early|in advance|now> <to avoid disappointment|as time is short|please>",
    "<discretion|privacy|confidentiality> <is my priority|guaranteed|always>",
    "<couples|ladies|students> <also welcome|welcome too|catered for>",
    "I <enjoy|like|love> <adj> <men|gentlemen|company> who <know what they want|are "
    "polite|smell nice>",
    "<my|the> <room|place> has <shower|towels|drinks|music> <ready|provided|for you>",
    "<first time|new> <visitors|clients> <always|very> welcome, <adj> <atmosphere|feeling>",
    "I <will|can> make you feel <adj> and <relaxed|special|happy|wanted>",
    "<kisses|love|hugs|see you soon> {name} <x|xx|xxx>",
    "<only|just> {age} and <new to this|very discreet|very sociable>",
    "<originally|born> from <a small town|the capital|the coast> in <my country|{nationality} "
    "lands>",
    "<no|sorry no> <black numbers|withheld calls|texts without name> <answered|accepted>",
    "<latest|newest|fresh> <arrival|girl|face> in {town}, <adj> and <adj>",
    "<massage|body rub|relaxation> <with oils|with hot stones|full body> <included|as extra>",
)  # fmt: skip
STOCK_PHRASES = (
    "new in town", "100% real pics", "no rush", "genuine photos", "available 24/7",
    "discreet location", "call or text", "no withheld numbers", "real and genuine",
    "satisfaction guaranteed", "just arrived", "first week in the uk", "no time wasters",
    "limited time only", "outcall and incall", "best service in town", "always smiling",
    "fully independent", "clean and discreet", "last days here",
)  # fmt: skip
AGENCY_BOILERPLATE = (
    "Booking through Velvet Rose companions. All our ladies are verified and over 18. Deposits "
    "may be requested for outcalls. Please read our terms before booking.",
    "Presented by Silk Nights agency. We pride ourselves on discretion and quality. Bookings "
    "taken from 10am until late, seven days a week.",
    "Another lady from Golden Key models. Photos checked by our team. Please mention this "
    "website when you call to book your appointment.",
    "Angel Touch agency welcomes you. Hygiene and respect are essential. Cancellations must be "
    "made at least one hour in advance.",
    "Midnight Orchid introductions. Our receptionist will confirm your booking by text. Card "
    "payments are not accepted at this location.",
    "Scarlet Lounge agency profile. Every booking is private and confidential. Extended dates "
    "and overnight arrangements on request.",
    "Luxury Lace companions agency. Our team answers every message personally. Address given "
    "after confirmation of the booking.",
    "Diamond Hearts agency listing. We operate across the north west. Please allow thirty "
    "minutes notice for every visit.",
)  # fmt: skip
TITLES = (
    "<adj> {name} {age}", "{name} new in {town}", "{nationality} {name} <adj> and <adj>",
    "<adj> <girl|lady|beauty> {name}", "{name} in {town} <this week|now|today>",
    "<hot|sweet|new> {nationality} {name}", "{name} <adj> {age} {town}",
)  # fmt: skip
NUMBER_SENTENCES = (
    "call me on {number}", "text {number}", "my number {number}", "ring {number} to book",
    "{number} call now", "contact {number}", "whatsapp {number}",
)  # fmt: skip
