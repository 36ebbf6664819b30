//! Scatter plots: one dot per row at (x, value) for each series, both axes
//! continuous. Sparse plots draw each dot as a mark carrying its data;
//! dense ones draw a series' dots as one path of small, half-transparent
//! dots, so thousands of points stay readable (overlaps darken) and the
//! SVG stays small.

use super::axis::{self, Ctx};
use super::scene::{Mark, Scene, Shape};
use super::theme::{PAD, Paint, SCATTER_CROWD, SCATTER_MARKS, SCATTER_R, SCATTER_R_CROWD, SCATTER_R_DENSE, TICK_GAP};
use super::ticks::Scale;
use super::xaxis;

/// Lays out a scatter plot; the input has an x position per row (checked
/// by validation).
pub fn layout(ctx: &Ctx) -> Scene {
    let input = ctx.input;
    let mut sc = Scene::default();
    let Some(xa) = &input.x else { return sc };
    let xv = xa.numbers();
    // Values need not start at zero: a scatter shows how two measures relate.
    let (scale, yticks) = ctx.vertical_ticks(false);
    let (plot_h, width) = (ctx.frame.plot_h, ctx.frame.width);
    let plot_left = PAD + axis::tick_width(&yticks) + TICK_GAP;
    let xdom = xv.iter().fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(*v), b.max(*v)));
    let xdom = ctx.frame.x_domain.unwrap_or(xdom);
    let xs = xaxis::draw(
        &mut sc,
        input,
        xa,
        xdom,
        (plot_left, width - PAD, width),
        plot_h,
        !ctx.frame.panel,
    );
    axis::y_axis(&mut sc, scale, &yticks, (xs.left, xs.right), (0.0, plot_h));
    if matches!(scale, Scale::Linear { .. }) {
        let y0 = ctx.y_of(scale.frac(0.0));
        axis::baseline(&mut sc, scale, (xs.left, y0), (xs.right, y0));
    }
    let y = |v: f64| ctx.y_of(scale.frac(v));
    let count: usize = input.series.iter().map(|s| s.values.iter().flatten().count()).sum();
    let colors = ctx.series_colors();
    for (s, color) in input.series.iter().zip(&colors) {
        let pts = s.values.iter().enumerate().filter_map(|(i, v)| v.map(|v| (i, v)));
        if count <= SCATTER_MARKS {
            for (i, v) in pts {
                let shape = Shape::Circle {
                    cx: xs.at(xv[i]),
                    cy: y(v),
                    r: SCATTER_R,
                };
                let mark = Mark {
                    key: input.categories[i].key.clone(),
                    series: s.key.clone(),
                    value: v,
                    x: Some(xv[i]),
                    derived: s.is_derived(i),
                    ..Mark::default()
                };
                sc.mark(shape, Paint::Color(*color), mark);
            }
        } else {
            let r = if count > SCATTER_CROWD {
                SCATTER_R_CROWD
            } else {
                SCATTER_R_DENSE
            };
            let points = pts.map(|(i, v)| (xs.at(xv[i]), y(v))).collect();
            let mark = Mark {
                series: s.key.clone(),
                ..Mark::default()
            };
            let item = sc.push(Shape::Dots { points, r }, Paint::Faded(*color));
            item.mark = Some(mark);
            item.class = Some("dots");
        }
    }
    if ctx.own_legend() {
        axis::series_legend(&mut sc, ctx, super::theme::LEGEND_GAP);
    }
    sc
}
