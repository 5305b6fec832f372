"""What the demo key work says: session notes, contact summaries, progression goals and quality feedback."""

NOTES = (
    "Talked about getting onto the kitchen course; he will put in an application this week.",
    "Discussed family contact: visits are going well and he wants more phone credit.",
    "Reviewed progress at work in the laundry. Settled on the wing, no concerns raised.",
    "Went through the resettlement checklist: housing referral still waiting for a reply.",
    "Talked about the education timetable; agreed to ask about the maths class.",
    "Spoke about the gym and keeping busy. Mood good, sleeping better.",
    "Followed up the adjudication last week; understands what went wrong and why.",
    "Discussed the release plan and who to contact in the community.",
    "Short session on the landing: he asked for help with a canteen sheet.",
    "Talked through worries about a parole hearing date; passed the question to the OMU.",
)
SENSITIVE_NOTES = (
    "Disclosed being pressured to hold items for another prisoner on the wing. Passed to security and the OMU.",
    "Spoke about self-harm thoughts last month; an ACCT review was asked for and the POM told.",
    "Named a member of staff he says treated him unfairly; passed to the custodial manager.",
    "Disclosed debt to another prisoner and fear for his safety; security informed.",
)
ATTEMPT_NOTES = ("Refused to come out of his cell.", "At a legal visit.", "Asleep after a night shift; try again.")
ENTRY_NOTES = ("Checked in on the landing, no session.", "Passed on a message from his family.")
CONTACT_SUMMARIES = (
    "Agreed the key worker will keep encouraging the education application before the sentence plan review.",
    "Shared concerns about debt on the wing; the POM will raise it at the next review.",
    "Discussed the release address: the key worker will chase the housing referral with him.",
    "Talked about his progress at work; the POM will mention it in the parole report.",
)
GOALS = (
    ("Get a place on the kitchen course", "Went through the application together"),
    ("Keep in weekly contact with family", "Two visits booked this month"),
    ("Complete the maths level 1 class", "Started the class; attending well"),
    ("Stay adjudication-free for three months", "No adjudications since the plan started"),
)
FEEDBACK = (
    "A clear entry with a next step agreed.",
    "Good detail. Say how this links to the sentence plan next time.",
    "Please record what was agreed and when you will follow it up.",
    "",
)
