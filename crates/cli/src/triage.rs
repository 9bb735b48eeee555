//! The red flags in force, for the commands not yet moved to `soleus_app` (the shoe transition
//! waits for a clinician too). Storing a check-in with its triage is `App::store_checkin`.

pub(crate) use soleus_app::checkin::red_flag_in_force_in as red_flag_in_force;
