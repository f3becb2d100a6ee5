"""The demo cohort's made-up people: their names and places, the libraries they work in,
and what they wrote in their applications and reviews."""

from __future__ import annotations

from .models import Application

LibraryType = Application.LibraryType

FIRST_NAMES = [
    "Maya", "Jordan", "Aaliyah", "Diego", "Priya", "Hannah", "Marcus", "Sofia", "Keisha",
    "Ethan", "Mei", "Gabriela", "Tyler", "Amara", "Lucas", "Nadia", "Samuel", "Yesenia",
    "Caroline", "Andre", "Fatima", "Benjamin", "Leilani", "Olivia", "Darius", "Hana",
    "Rosa", "Connor", "Imani", "Tomás", "Grace", "Ravi", "Brianna", "Kai", "Elena",
    "Malik", "Abigail", "Jasmine", "Noah", "Ximena", "Eleanor", "Kwame", "Lily", "Mateo",
    "Zoe", "Dakota", "Ingrid", "Omar", "Claire", "Aisha", "Wyatt", "Naomi", "Julian",
    "Esperanza", "Theo", "Ruth", "Lauren", "Chen", "Tanisha", "Owen", "Margaret", "Luis",
    "Francesca", "Jamal", "Vanessa", "Patrick", "Ayumi", "Renee", "Isaiah", "Beatriz",
    "Megan", "Ahmed",
]  # fmt: skip
LAST_NAMES = [
    "Johnson", "Nguyen", "Garcia", "Okafor", "Patel", "Schmidt", "Williams", "Rossi",
    "Washington", "Brooks", "Chen", "Hernandez", "Murphy", "Mensah", "Silva", "Haddad",
    "Goldberg", "Ramirez", "Thompson", "Baptiste", "Rahman", "Kowalski", "Kahale",
    "Anderson", "Freeman", "Tanaka", "Morales", "O'Brien", "Jackson", "Delgado", "Park",
    "Iyer", "Carter", "Nakamura", "Popescu", "Wright", "Lindqvist", "Alvarez", "Bennett",
    "Flores", "Whitfield", "Asante", "Sullivan", "Castillo", "Greene", "Running Bear",
    "Larsen", "Farouk", "Dubois", "Mbeki", "Harper", "Cohen", "Reyes", "Vasquez", "Ortiz",
    "Kim", "Lee", "Fischer", "Adeyemi", "Novak",
]  # fmt: skip
PLACES = [
    ("Columbus", "OH", "America/New_York"),
    ("Cleveland", "OH", "America/New_York"),
    ("Brooklyn", "NY", "America/New_York"),
    ("Rochester", "NY", "America/New_York"),
    ("Philadelphia", "PA", "America/New_York"),
    ("Worcester", "MA", "America/New_York"),
    ("Hartford", "CT", "America/New_York"),
    ("Baltimore", "MD", "America/New_York"),
    ("Durham", "NC", "America/New_York"),
    ("Atlanta", "GA", "America/New_York"),
    ("Miami", "FL", "America/New_York"),
    ("Louisville", "KY", "America/New_York"),
    ("Ann Arbor", "MI", "America/New_York"),
    ("Chicago", "IL", "America/Chicago"),
    ("Evanston", "IL", "America/Chicago"),
    ("Madison", "WI", "America/Chicago"),
    ("Minneapolis", "MN", "America/Chicago"),
    ("St. Louis", "MO", "America/Chicago"),
    ("Des Moines", "IA", "America/Chicago"),
    ("Austin", "TX", "America/Chicago"),
    ("San Antonio", "TX", "America/Chicago"),
    ("Nashville", "TN", "America/Chicago"),
    ("New Orleans", "LA", "America/Chicago"),
    ("Denver", "CO", "America/Denver"),
    ("Albuquerque", "NM", "America/Denver"),
    ("Tucson", "AZ", "America/Phoenix"),
    ("Seattle", "WA", "America/Los_Angeles"),
    ("Portland", "OR", "America/Los_Angeles"),
    ("Oakland", "CA", "America/Los_Angeles"),
    ("San Diego", "CA", "America/Los_Angeles"),
    ("Honolulu", "HI", "Pacific/Honolulu"),
    ("Anchorage", "AK", "America/Anchorage"),
    ("Toronto", "ON", "America/New_York"),
    ("Vancouver", "BC", "America/Los_Angeles"),
]
SCHOOLS = ["Lincoln", "Roosevelt", "Jefferson", "Maple Grove", "Cedar Ridge", "Riverside"]
MENTEE_TYPES = (
    [LibraryType.PUBLIC] * 12
    + [LibraryType.SCHOOL] * 4
    + [LibraryType.LIS_STUDENT] * 3
    + [LibraryType.ACADEMIC, LibraryType.SPECIAL, LibraryType.OTHER]
)
MENTOR_TYPES = [LibraryType.PUBLIC] * 7 + [LibraryType.SCHOOL] * 2 + [LibraryType.ACADEMIC]
MENTEE_POSITIONS = {
    LibraryType.PUBLIC: [
        "Children's Librarian",
        "Youth Services Librarian",
        "Library Associate, Children's Services",
        "Early Literacy Specialist",
        "Branch Librarian",
    ],
    LibraryType.SCHOOL: ["School Librarian", "Teacher Librarian", "Library Media Specialist"],
    LibraryType.LIS_STUDENT: ["MLIS student", "MLIS student and library page"],
    LibraryType.ACADEMIC: ["Curriculum Materials Librarian"],
    LibraryType.SPECIAL: ["Family Learning Coordinator"],
    LibraryType.OTHER: ["Literacy Program Coordinator"],
}
MENTOR_POSITIONS = {
    LibraryType.PUBLIC: [
        "Head of Children's Services",
        "Youth Services Manager",
        "Senior Children's Librarian",
        "Branch Manager",
        "Youth Services Coordinator",
    ],
    LibraryType.SCHOOL: ["School Library Coordinator", "Teacher Librarian"],
    LibraryType.ACADEMIC: ["Children's Literature Librarian"],
}
HOPES = [
    "I started leading storytimes six months ago and I want to grow from reading aloud to "
    "planning a whole season of early literacy programs. I would love advice from someone "
    "who has done it for years, and help building my confidence with caregivers.",
    "I am the only children's staff member at a small branch, so I rarely get to talk "
    "through ideas with anyone. I hope to learn how others plan programs, manage their "
    "time, and advocate for children's services with their administration.",
    "I want to understand ALSC and how to get involved in committee work. A mentor who has "
    "served on committees could help me find where I fit and how to take the first step, "
    "and I would like to work toward a mock Caldecott at my library.",
    "My goal for this year is to make our collection and programs more inclusive. I would "
    "like a mentor who can help me evaluate diverse books, plan bilingual programs such as "
    "Día, and talk through the conversations this work sometimes brings.",
    "I am finishing my MLIS and applying for my first children's librarian positions. I "
    "hope to get feedback on my résumé, practise interviews, and hear what the first year "
    "in a public library is really like.",
    "I moved from teaching into school librarianship last year. I want to learn the "
    "library side of the job: collection development, working with teachers, and running "
    "a library program that students love coming to.",
    "I have just become responsible for our tween programs and I feel a little lost. I "
    "would like to learn how to plan programs this age group cares about, including "
    "STEM and maker activities, and how to measure whether they work.",
    "I would like to grow as a leader. I supervise two part-time staff for the first time "
    "and want to learn from someone about giving feedback, planning a budget, and "
    "building a team that serves families well.",
]
MENTOR_WISHES = [
    "Someone who has worked in a small library like mine.",
    "A mentor with experience in committee service.",
    "Ideally someone in a similar time zone, so we can talk after work.",
    "Someone who has built bilingual programs.",
    "",
    "",
]
OFFERS = [
    "Twenty years of storytime and early literacy work, from baby lapsit to family "
    "programs, and a lot of patience for first-year questions.",
    "I have managed children's services at two library systems and can help with "
    "budgets, supervising staff, and making the case for children's services.",
    "I served on the Caldecott and Notable Children's Books committees and love helping "
    "people find their way into association work.",
    "Experience building inclusive collections and programs, including sensory "
    "storytimes and Día celebrations with community partners.",
    "I have hired many children's librarians and can help with résumés, interviews and "
    "planning a career.",
    "School and public library experience: I can help with school partnerships, class "
    "visits and summer reading.",
]
COMMITTEE_EXPERIENCE = [
    "ALSC Membership Committee; state library association youth services section chair.",
    "Notable Children's Books Committee; local mock Newbery organizer for eight years.",
    "Managing Children's Services Committee; presented at the ALSC National Institute.",
    "State library association conference planning committee.",
    "",
]
WITHDRAW_REASONS = [
    "I accepted a new position and will not have time this year.",
    "Family circumstances changed; I hope to apply next year.",
]
REVIEW_COMMENTS = [
    "Clear goals and a good fit for the program.",
    "Thoughtful answers; would pair well with a public library mentor.",
    "Strong interest in committee service.",
    "Enthusiastic, though the goals could be more specific.",
    "",
]
