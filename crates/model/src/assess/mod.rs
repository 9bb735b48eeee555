//! Check-ins, red-flag triage and assessment (knowledge base §0, §1, §2).
