//! Routes around home: wobbly loops and a hill-repeat course, as polylines in local metres
//! (x east, y north of home), and the terrain that gives them altitude.

use super::Rng;
use soleus_model::geo::{WGS84_A, WGS84_F};

/// Where the hill is, metres east and north of home, its height and width (m).
const HILL: (f64, f64) = (1_100.0, 600.0);
const HILL_HEIGHT_M: f64 = 42.0;
const HILL_SIGMA_M: f64 = 300.0;
/// Altitude at home, metres (the Isar plain).
const BASE_ALT_M: f64 = 515.0;

/// Ground altitude at a point: gentle rolling ground plus one hill. The hill is a Gaussian
/// bump, steepest (42 / 300 · e^-½ ≈ 8.5 %) half-way up.
pub fn terrain(x: f64, y: f64) -> f64 {
    let (dx, dy) = (x - HILL.0, y - HILL.1);
    let hill = HILL_HEIGHT_M * (-(dx * dx + dy * dy) / (2.0 * HILL_SIGMA_M * HILL_SIGMA_M)).exp();
    BASE_ALT_M
        + 5.0 * (x / 700.0).sin()
        + 3.5 * (y / 530.0).cos()
        + 2.5 * ((x + y) / 1_100.0).sin()
        + hill
}

/// A path with cumulative distances, walked by distance along it.
#[derive(Debug, Clone)]
pub struct Route {
    points: Vec<(f64, f64)>,
    cumulative: Vec<f64>,
    /// Whether distance wraps around (a loop run several times).
    looped: bool,
}

impl Route {
    fn new(points: Vec<(f64, f64)>, looped: bool) -> Route {
        let mut cumulative = Vec::with_capacity(points.len());
        let mut total = 0.0;
        for (i, p) in points.iter().enumerate() {
            if i > 0 {
                let q = points[i - 1];
                total += (p.0 - q.0).hypot(p.1 - q.1);
            }
            cumulative.push(total);
        }
        Route {
            points,
            cumulative,
            looped,
        }
    }

    /// Length of one pass, metres.
    pub fn length(&self) -> f64 {
        self.cumulative.last().copied().unwrap_or(0.0)
    }

    /// The point `s` metres along the route (wrapping for loops, clamped otherwise).
    pub fn at(&self, s: f64) -> (f64, f64) {
        let len = self.length();
        if len <= 0.0 {
            return self.points.first().copied().unwrap_or((0.0, 0.0));
        }
        let s = if self.looped {
            s.rem_euclid(len)
        } else {
            s.clamp(0.0, len)
        };
        let i = self
            .cumulative
            .partition_point(|c| *c <= s)
            .clamp(1, self.points.len() - 1);
        let (c0, c1) = (self.cumulative[i - 1], self.cumulative[i]);
        let f = if c1 > c0 { (s - c0) / (c1 - c0) } else { 0.0 };
        let (p, q) = (self.points[i - 1], self.points[i]);
        (p.0 + f * (q.0 - p.0), p.1 + f * (q.1 - p.1))
    }

    /// Ground gradient (rise over run) at `s`, from ±5 m either side.
    pub fn grade(&self, s: f64) -> f64 {
        let (a, b) = (self.at(s - 5.0), self.at(s + 5.0));
        let run = (b.0 - a.0).hypot(b.1 - a.1);
        if run < 1.0 {
            return 0.0;
        }
        (terrain(b.0, b.1) - terrain(a.0, a.1)) / run
    }
}

/// A closed loop through home, of about `perimeter_m`, with a random shape and heading:
/// r(θ) = R·(1 + a·sin 2θ + b·sin 3θ), shifted so that θ = 0 lies at home.
pub fn loop_route(perimeter_m: f64, rng: &mut Rng) -> Route {
    let (a, b) = (rng.range(0.05, 0.2), rng.range(0.03, 0.12));
    let (p2, p3) = (rng.range(0.0, 6.3), rng.range(0.0, 6.3));
    let heading = rng.range(0.0, std::f64::consts::TAU);
    let dir = if rng.chance(0.5) { 1.0 } else { -1.0 };
    let n = 720;
    let unit: Vec<(f64, f64)> = (0..=n)
        .map(|i| {
            let th = dir * std::f64::consts::TAU * f64::from(i) / f64::from(n);
            let r = 1.0 + a * (2.0 * th + p2).sin() + b * (3.0 * th + p3).sin();
            (r * (th + heading).cos(), r * (th + heading).sin())
        })
        .collect();
    let unit_len = Route::new(unit.clone(), true).length();
    let scale = perimeter_m / unit_len;
    let (x0, y0) = unit[0];
    let pts = unit
        .iter()
        .map(|(x, y)| ((x - x0) * scale, (y - y0) * scale))
        .collect();
    Route::new(pts, true)
}

/// Out to the foot of the hill, `repeats` times up to its top and back down, and home.
pub fn hill_route(repeats: u32) -> Route {
    let top = HILL;
    // The foot lies 2σ from the top, toward home, where the slope has nearly run out.
    let d = top.0.hypot(top.1);
    let foot = (
        top.0 * (1.0 - 2.0 * HILL_SIGMA_M / d),
        top.1 * (1.0 - 2.0 * HILL_SIGMA_M / d),
    );
    let mut pts = vec![(0.0, 0.0), (foot.0 * 0.5, foot.1 * 0.3), foot];
    for _ in 0..repeats {
        pts.push(top);
        pts.push(foot);
    }
    pts.push((foot.0 * 0.5, foot.1 * 0.3));
    pts.push((0.0, 0.0));
    Route::new(pts, false)
}

/// Local metres east/north of `home` as latitude and longitude (WGS84 radii of curvature at
/// home's latitude; fine over the few kilometres of these routes).
pub fn to_lat_lon(home: (f64, f64), x: f64, y: f64) -> (f64, f64) {
    let e2 = WGS84_F * (2.0 - WGS84_F);
    let phi = home.0.to_radians();
    let w = (1.0 - e2 * phi.sin().powi(2)).sqrt();
    let m = WGS84_A * (1.0 - e2) / (w * w * w);
    let n = WGS84_A / w;
    (
        home.0 + (y / m).to_degrees(),
        home.1 + (x / (n * phi.cos())).to_degrees(),
    )
}
