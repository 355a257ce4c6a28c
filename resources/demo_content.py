"""The demo library's words: short, age-appropriate, non-graphic, and always pointing to help."""

# (slug, title, audiences, topics, formats, year groups, summary, paragraphs, questions, facilitator note)
RESOURCES = [
    # Ages 4-7
    (
        "my-body-belongs-to-me",
        "My body belongs to me",
        ["4-7"],
        ["healthy-relationships", "getting-help"],
        ["classroom"],
        ["R", "Y1", "Y2"],
        "A gentle story-time lesson about private parts of the body, and that it is always OK to say no.",
        [
            "Your body belongs to you. The parts covered by your pants and swimming costume are private.",
            "Nobody should ask to see or touch your private parts, or ask you to look at theirs. If anyone "
            "does, it is not your fault. Tell a grown-up you trust, like a teacher or someone at home.",
        ],
        [
            "Who are the grown-ups you could tell if something felt wrong?",
            "What can you say if you want someone to stop?",
        ],
        "Use the PANTS rule language. Some children may disclose: listen, do not promise secrecy, and follow "
        "your school's safeguarding procedure.",
    ),
    (
        "safe-secrets-and-surprises",
        "Surprises and secrets",
        ["4-7"],
        ["grooming", "getting-help"],
        ["classroom", "assembly"],
        ["Y1", "Y2"],
        "Telling the difference between a happy surprise and a secret that makes us feel worried.",
        [
            "A surprise is something nice we keep quiet about for a little while, like a birthday present.",
            "A secret that makes you feel worried, sad or confused is one you should always share with a "
            "grown-up you trust. You will not be in trouble.",
        ],
        ["Is a birthday present a surprise or a secret?", "Who could you tell about a worried feeling?"],
        "Keep examples everyday and positive. Reinforce that children are never in trouble for telling.",
    ),
    (
        "asking-before-going-online",
        "Ask a grown-up before you go online",
        ["4-7"],
        ["online-safety"],
        ["classroom", "at-home"],
        ["R", "Y1", "Y2"],
        "Simple rules for tablets and games: ask first, tell if something is upsetting, never share your name.",
        [
            "Tablets and games can be fun. Always ask a grown-up before you go online or download a game.",
            "If you see something that makes you feel funny or upset, turn the screen over and tell a grown-up.",
        ],
        ["What should you do if something on a screen upsets you?"],
        "Pair with the parents' guide so families use the same words at home.",
    ),
    # Ages 8-10
    (
        "friends-online-and-offline",
        "Friends online and friends in real life",
        ["8-10"],
        ["online-safety", "gaming-and-chat", "grooming"],
        ["classroom"],
        ["Y4", "Y5", "Y6"],
        "Why someone you meet in a game is not the same as a friend you know, and what to do if they ask "
        "for photos or secrets.",
        [
            "People online are not always who they say they are. Someone may pretend to be your age to become "
            "your friend.",
            "A real friend will never ask you to keep secrets from your family, send photos, or meet up alone.",
            "If someone online makes you uncomfortable, stop chatting, do not reply, and tell an adult you "
            "trust. You can also call Childline free on 0800 1111.",
        ],
        [
            "How can you tell if an online friend is who they say they are?",
            "What would you do if a gamer asked for a photo?",
        ],
        "Classroom use only: pupils need time to ask questions. Have the school's designated safeguarding "
        "lead aware of the session date.",
    ),
    (
        "walk-online-year-5",
        "Walk Online: staying safe on apps and games",
        ["8-10"],
        ["online-safety", "gaming-and-chat"],
        ["classroom", "assembly"],
        ["Y5"],
        "The Year 5 roadshow activity: privacy settings, strong passwords and the report button.",
        [
            "Keep your accounts private so only people you know can see what you post.",
            "Use the report and block buttons if anyone is unkind or asks for personal information.",
        ],
        ["Which settings would you change on a new game?", "Who can you tell if you see something worrying?"],
        "Used before and after the Walk Online session; the follow-up pack repeats the key messages.",
    ),
    (
        "trusted-adults",
        "My trusted adults",
        ["8-10"],
        ["getting-help"],
        ["classroom", "one-to-one"],
        ["Y3", "Y4", "Y5", "Y6"],
        "An activity where pupils draw a hand and name five adults they could talk to about a worry.",
        [
            "A trusted adult is someone who listens, believes you and helps you stay safe.",
            "It could be a parent or carer, a teacher, a sports coach, or a helpline like Childline.",
        ],
        ["Who is on your hand?", "What could you say to start the conversation?"],
        "Do not ask pupils to share their hands publicly. Check any hand with no adults named.",
    ),
    # Ages 11-13
    (
        "when-someone-asks-for-a-nude",
        "When someone asks you for a nude",
        ["11-13"],
        ["sharing-images", "getting-help"],
        ["classroom"],
        ["Y7", "Y8", "Y9"],
        "What to do if you are asked to send a nude or sexual image, and how to get an image taken down.",
        [
            "Nobody has the right to pressure you into sending a photo. Saying no is always OK.",
            "If an image of you has been shared, it is not your fault. Childline and the Internet Watch "
            "Foundation's Report Remove tool can help get it taken down.",
        ],
        ["What could you say if someone kept asking?", "Who could you talk to if an image had been shared?"],
        "Classroom only. Follow the UKCIS guidance on responding to incidents of nude image sharing.",
    ),
    (
        "spotting-grooming",
        "Spotting grooming",
        ["11-13"],
        ["grooming", "signs-of-exploitation"],
        ["classroom"],
        ["Y7", "Y8", "Y9"],
        "Flattery, gifts, secrets, and pressure: the steps people use to gain a young person's trust.",
        [
            "Grooming is when someone builds a relationship with a young person so they can take advantage "
            "of them. It can happen online or in person, and the person can be any age.",
            "Warning signs include gifts for no reason, asking you to keep the friendship secret, and making "
            "you feel you owe them something.",
        ],
        ["Why might someone ask you to keep a friendship secret?"],
        "Avoid case studies with graphic detail. Signpost the school counsellor and Childline at the end.",
    ),
    (
        "gaming-chat-settings",
        "Chat settings in games",
        ["11-13"],
        ["gaming-and-chat", "online-safety"],
        ["classroom", "at-home"],
        ["Y7", "Y8"],
        "A practical walk-through of voice and text chat settings, blocking and reporting in popular games.",
        [
            "Most games let you limit chat to friends, turn off voice chat, or block players.",
            "Reporting a player helps keep everyone safe. Take a screenshot first if you can.",
        ],
        ["Which chat setting would you choose, and why?"],
        "Settings change often: check the current menus before the lesson.",
    ),
    # Ages 14-18
    (
        "healthy-relationships-and-consent",
        "Healthy relationships and consent",
        ["14-18"],
        ["healthy-relationships"],
        ["classroom"],
        ["Y10", "Y11", "Y12", "Y13"],
        "What consent means, how controlling behaviour can look, and where to get support.",
        [
            "Consent is a free, informed choice that can be changed at any time. Pressure, threats or gifts "
            "mean it is not freely given.",
            "Controlling behaviour, like checking your phone or deciding who you see, is not a sign of love.",
        ],
        [
            "What does a healthy relationship look like to you?",
            "How could you support a friend who is worried?",
        ],
        "Create ground rules first. Some students may have personal experience: offer a way to talk privately.",
    ),
    (
        "county-lines-and-exploitation",
        "Exploitation: when 'help' comes with a price",
        ["14-18"],
        ["signs-of-exploitation", "grooming"],
        ["classroom"],
        ["Y10", "Y11"],
        "How offers of money, lifts, or a place to stay can be used to trap young people, and how to get out.",
        [
            "Exploitation often starts with something that feels like a favour: a lift, free food, a phone, "
            "or somewhere to hang out.",
            "Later the favour is used to pressure a young person into doing things they do not want to do. "
            "It is never their fault, and help is available.",
        ],
        ["Why might a young person find it hard to ask for help?"],
        "Link to local services. Be aware some students may be affected; agree a follow-up route with the DSL.",
    ),
    (
        "sextortion-what-to-do",
        "If someone threatens to share your images",
        ["14-18"],
        ["sharing-images", "getting-help"],
        ["classroom", "one-to-one"],
        ["Y10", "Y11", "Y12", "Y13"],
        "Clear steps if someone is blackmailing you with an image: stop, do not pay, keep evidence, tell someone.",
        [
            "Stop replying. Do not pay or send anything more. Keep the messages as evidence.",
            "Report it to CEOP and tell an adult you trust. You are not in trouble: the person threatening "
            "you is the one breaking the law.",
        ],
        ["What are the four steps?"],
        "Keep the tone calm and practical; emphasise that young people will not be blamed.",
    ),
    # Parents and carers
    (
        "talking-to-your-child-about-online-safety",
        "Talking to your child about online safety",
        ["parents-carers"],
        ["online-safety", "getting-help"],
        ["at-home"],
        [],
        "Conversation starters for every age, and how to stay calm if your child tells you something worrying.",
        [
            "Little and often works better than one big talk. Ask what apps and games they enjoy.",
            "If your child tells you something worrying, stay calm, thank them for telling you, and get "
            "advice from the NSPCC Helpline on 0808 800 5000.",
        ],
        ["Which app does your child use most, and who do they talk to there?"],
        "",
    ),
    (
        "signs-your-child-may-be-at-risk",
        "Signs your child may be at risk",
        ["parents-carers", "faith-community"],
        ["signs-of-exploitation"],
        ["at-home"],
        [],
        "Changes to look out for, from new unexplained gifts to secrecy about a phone, and who to call.",
        [
            "Look out for new phones, money or clothes you cannot explain, going missing, older friends, or "
            "sudden changes in mood.",
            "One sign alone may mean nothing, but trust your instincts. Call children's services or the "
            "police on 101 for advice, or 999 if a child is in danger.",
        ],
        [],
        "",
    ),
    (
        "parental-controls-guide",
        "Parental controls: a practical guide",
        ["parents-carers"],
        ["online-safety", "gaming-and-chat"],
        ["at-home"],
        [],
        "Setting up controls on home broadband, phones and consoles, and agreeing family rules.",
        [
            "Controls help, but they are not a replacement for talking. Agree family rules together.",
            "Most consoles and phones let you limit chat, purchases and screen time from a parent account.",
        ],
        [],
        "",
    ),
    # Faith and community groups
    (
        "safer-youth-groups",
        "Running safer youth groups",
        ["faith-community"],
        ["getting-help", "signs-of-exploitation"],
        ["staff-training"],
        [],
        "Safeguarding basics for volunteers: safer recruitment, two adults present, and who to tell.",
        [
            "Every group should have a named safeguarding lead and a clear way to report a concern.",
            "Volunteers should never be alone with a child out of sight of others, online or in person.",
        ],
        ["Who is your group's safeguarding lead?"],
        "",
    ),
    (
        "youth-champions-guide",
        "Youth champions: spotting and responding",
        ["faith-community"],
        ["signs-of-exploitation", "grooming"],
        ["staff-training"],
        [],
        "A guide for youth champions in churches, mosques, temples and community centres.",
        [
            "You may be the trusted adult a young person chooses to talk to. Listen, do not investigate, "
            "and pass the concern to your safeguarding lead the same day.",
        ],
        [],
        "",
    ),
    (
        "community-online-safety-evening",
        "Hosting an online safety evening",
        ["faith-community", "parents-carers"],
        ["online-safety"],
        ["at-home", "staff-training"],
        [],
        "A ready-made session plan for community groups to run with parents and carers.",
        [
            "Invite parents and carers, show the short films, and leave time for questions.",
            "End every session with the help contacts: 999, 101, the NSPCC Helpline and Childline.",
        ],
        [],
        "",
    ),
    # Professionals
    (
        "taxi-drivers-cse-awareness",
        "CSE awareness for taxi and private-hire drivers",
        ["professionals"],
        ["signs-of-exploitation"],
        ["staff-training"],
        [],
        "What drivers may notice, and how to report it safely. Part of the licensing training.",
        [
            "Drivers may see young people travelling late at night with older adults, to hotels or unfamiliar "
            "addresses, or appearing frightened.",
            "Note the time, place and what you saw, and call 101, or 999 if a child is in danger now.",
        ],
        [],
        "Required for licence renewal; the certificate is issued after attendance.",
    ),
    (
        "housing-staff-briefing",
        "Briefing for housing and hotel staff",
        ["professionals"],
        ["signs-of-exploitation", "getting-help"],
        ["staff-training"],
        [],
        "Indicators of exploitation in housing, short lets and hotels, and your duty to report.",
        [
            "Watch for frequent visitors, young people who seem controlled by others, and rooms booked by "
            "adults for young guests.",
        ],
        [],
        "",
    ),
    (
        "responding-to-a-disclosure",
        "Responding to a disclosure",
        ["professionals"],
        ["getting-help"],
        ["staff-training", "one-to-one"],
        [],
        "Listen, reassure, record and refer: what to do when a child tells you something.",
        [
            "Listen without leading questions, reassure the child they were right to tell, and do not promise "
            "to keep a secret.",
            "Write down what was said in the child's words, and refer to children's services the same day.",
        ],
        [],
        "Use the local multi-agency referral form.",
    ),
]

# A page for professionals only, behind Wagtail page privacy (sign-in required).
RESTRICTED_RESOURCE = (
    "professionals-case-review-learning",
    "Learning from local case reviews",
    ["professionals"],
    ["signs-of-exploitation"],
    ["staff-training"],
    [],
    "Summary of lessons from local safeguarding practice reviews, for professionals only.",
    [
        "This briefing is restricted to signed-in professionals. It summarises themes from local practice "
        "reviews without identifying any child or family.",
    ],
    [],
    "Share only with staff who have completed level 2 safeguarding training.",
)
