-- `soleus load` and every report built on it read each activity's span, distance and sport
-- in time order. The activities rows carry the sample blob, so each row fills about a page of
-- its own and reading them for 20 years of runs reads thousands of pages: an index holding
-- those columns answers the query alone (a covering index), from a few dozen pages.
CREATE INDEX activities_load ON activities (athlete_id, start_ms, id, sport, utc_offset_s,
    distance_m, moving_s, elapsed_s, ascent_m, descent_m, shoe_id);
