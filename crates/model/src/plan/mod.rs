//! Rehab and return-to-run plans that follow the runs; exercises; shoes (knowledge base §3, §4).
