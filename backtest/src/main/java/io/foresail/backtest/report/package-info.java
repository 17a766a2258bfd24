/** The tearsheet: a self-contained HTML page with PNG charts, drawn with Java2D (headless). */
package io.foresail.backtest.report;
