package io.foresail.data.ingest;

/** Whether a vendor stamps a bar with its start time (Alpaca, Polygon, yfinance) or its end (TradeStation, many charting exports). */
public enum BarLabel { START, END }
