/* 導入推進ダッシュボード: draws the rollout API's figures (summary, departments, monthly) with Chart.js.
   The charts are exposed as window.rolloutChart (adoption by department) and window.rolloutMonthlyChart. */
(function () {
  "use strict";

  const config = JSON.parse(document.getElementById("rollout-config").textContent);
  const PHASE_COLORS = {
    not_started: "#9e9e9e",
    preparing: "#f9a825",
    trial: "#29b6f6",
    partial: "#5c6bc0",
    formal: "#2e7d32",
  };
  const L = config.labels;
  const phaseLabel = Object.fromEntries(config.phases.map((p) => [p.code, p.label]));
  const percent = (rate) => (rate * 100).toFixed(1) + "%";
  // A figure the API suppressed (a group smaller than the threshold) is null: shown as "—", its reason on hover.
  const SUPPRESSED = "—";
  const shown = (value, format) => (value === null || value === undefined ? SUPPRESSED : format ? format(value) : value);
  const chartRate = (rate) => (rate === null ? null : Number((rate * 100).toFixed(2)));
  const el = (id) => document.getElementById(id);

  function node(tag, attrs, text) {
    const element = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([key, value]) => {
      if (key === "style") Object.assign(element.style, value);
      else element.setAttribute(key, value);
    });
    if (text !== undefined) element.textContent = text;
    return element;
  }

  async function getJson(path) {
    const response = await fetch(config.api + path, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    if (!response.ok) throw new Error(path + ": " + response.status);
    return response.json();
  }

  function drawKpi(summary) {
    el("fy-label").textContent = summary.fiscal_year_label;
    el("kpi-implementing").textContent = summary.departments_implementing;
    el("kpi-total").textContent = summary.departments_total;
    el("kpi-rate").textContent = percent(summary.implementing_rate);
    el("kpi-target").textContent = percent(summary.target_rate);
    el("kpi-bar").style.width = Math.min(100, summary.implementing_rate * 100) + "%";
    el("kpi-not-implementing").textContent =
      summary.not_implementing.map((d) => d.name).join(", ") || L.none;
    const list = el("by-phase");
    config.phases.forEach((phase) => {
      const item = node("li", { "data-phase": phase.code, style: { background: PHASE_COLORS[phase.code] } });
      item.textContent = phase.label + " " + summary.by_phase[phase.code];
      list.appendChild(item);
    });
  }

  function drawTable(summary) {
    // phase, plan and delay as of the summary's reference date (the end of a past fiscal year)
    const body = el("departments").querySelector("tbody");
    summary.departments.forEach((row) => {
      const tr = node("tr", { "data-code": row.code, class: row.behind_plan ? "behind" : "" });
      tr.appendChild(node("td", {}, row.name));
      tr.appendChild(node("td", {}, phaseLabel[row.phase]));
      const planCell = node("td");
      if (row.behind_plan) {
        const overdue = row.overdue.map((p) => phaseLabel[p] + " " + row.planned[p]).join(", ");
        planCell.appendChild(node("span", { class: "badge late" }, L.late));
        planCell.appendChild(document.createTextNode(" " + overdue));
      } else {
        planCell.textContent = L.onPlan;
      }
      tr.appendChild(planCell);
      tr.appendChild(node("td", { class: "num" }, row.headcount));
      const figure = (value, format) => {
        const attrs = { class: "num" + (row.suppressed ? " suppressed" : "") };
        if (row.suppressed) attrs.title = row.suppressed_reason;
        return node("td", attrs, shown(value, format));
      };
      tr.appendChild(figure(row.teleworkers));
      tr.appendChild(figure(row.telework_days));
      tr.appendChild(figure(row.adoption_rate, percent));
      body.appendChild(tr);
    });
    el("behind-count").textContent = summary.departments.filter((d) => d.behind_plan).length;
    const suppressed = summary.departments.find((d) => d.suppressed);
    if (suppressed) {
      el("suppressed-note").hidden = false;
      el("suppressed-note").textContent = SUPPRESSED + ": " + suppressed.suppressed_reason;
    }
  }

  function drawTimeline(departments) {
    const dates = [config.today];
    departments.forEach((d) => {
      dates.push(...Object.values(d.planned));
      d.history.forEach((h) => dates.push(h.date));
    });
    const first = dates.reduce((a, b) => (a < b ? a : b));
    const last = dates.reduce((a, b) => (a > b ? a : b));
    // From the April before the first date to the March after the last one.
    const startYear = Number(first.slice(0, 4)) - (Number(first.slice(5, 7)) < 4 ? 1 : 0);
    const endYear = Number(last.slice(0, 4)) + (Number(last.slice(5, 7)) >= 4 ? 1 : 0);
    const start = Date.parse(startYear + "-04-01");
    const end = Date.parse(endYear + "-04-01");
    const position = (day) => ((Date.parse(day) - start) / (end - start)) * 100 + "%";
    const container = el("timeline");
    const axis = node("div", { class: "axis" });
    for (let year = startYear; year < endYear; year += 1) {
      axis.appendChild(node("span", { style: { left: position(year + "-04-01") } }, L.fiscalYear.replace("%(year)s", year - 2018)));
    }
    container.appendChild(axis);
    departments.forEach((d) => {
      const row = node("div", { class: "row" + (d.behind_plan ? " behind" : ""), "data-code": d.code });
      row.appendChild(node("div", { class: "name" }, d.name + (d.behind_plan ? " ⚠" : "")));
      const track = node("div", { class: "track" });
      const moves = d.history.length ? d.history : [];
      moves.forEach((move, index) => {
        const until = index + 1 < moves.length ? moves[index + 1].date : config.today;
        const seg = node("div", {
          class: "seg",
          title: phaseLabel[move.phase] + " " + move.date,
          style: {
            left: position(move.date),
            width: `calc(${position(until)} - ${position(move.date)})`,
            background: PHASE_COLORS[move.phase],
          },
        });
        track.appendChild(seg);
      });
      Object.entries(d.planned).forEach(([phase, day]) => {
        const marker = node("div", {
          class: "plan" + (d.overdue.includes(phase) ? " overdue" : ""),
          title: L.planned + ": " + phaseLabel[phase] + " " + day,
          style: { left: position(day) },
        });
        marker.appendChild(node("span", {}, phaseLabel[phase]));
        track.appendChild(marker);
      });
      track.appendChild(node("div", { class: "today", title: config.today, style: { left: position(config.today) } }));
      row.appendChild(track);
      container.appendChild(row);
    });
    const legend = el("timeline-legend");
    config.phases.forEach((phase) => {
      const item = node("li");
      item.appendChild(node("i", { style: { background: PHASE_COLORS[phase.code] } }));
      item.appendChild(document.createTextNode(phase.label));
      legend.appendChild(item);
    });
    legend.appendChild(node("li", {}, L.planLegend));
  }

  function drawDepartmentChart(summary) {
    window.rolloutChart = new Chart(el("department-chart"), {
      type: "bar",
      data: {
        labels: summary.departments.map((d) => d.name),
        codes: summary.departments.map((d) => d.code),
        datasets: [
          {
            label: L.rate,
            data: summary.departments.map((d) => chartRate(d.adoption_rate)),
            backgroundColor: summary.departments.map((d) => (d.behind_plan ? "#c62828" : "#1f77b4")),
            yAxisID: "rate",
          },
          {
            label: L.teleworkDays,
            data: summary.departments.map((d) => d.telework_days),
            backgroundColor: "#90caf9",
            yAxisID: "days",
          },
        ],
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        scales: {
          rate: { position: "left", min: 0, max: 100, title: { display: true, text: "%" } },
          days: { position: "right", beginAtZero: true, grid: { drawOnChartArea: false } },
        },
      },
    });
  }

  function drawMonthlyChart(monthly) {
    const byMonth = Object.fromEntries(monthly.total.map((m) => [m.month, m]));
    const value = (month, pick) => (byMonth[month] ? pick(byMonth[month]) : null);
    const locations = Object.keys(config.locations);
    window.rolloutMonthlyChart = new Chart(el("monthly-chart"), {
      type: "bar",
      data: {
        labels: monthly.months.map((m) => L.month.replace("%(month)s", Number(m.slice(5)))),
        months: monthly.months,
        datasets: [
          ...locations.map((location, index) => ({
            label: config.locations[location] + " (" + L.days + ")",
            data: monthly.months.map((m) =>
              value(m, (f) => (f.days_by_location === null ? null : f.days_by_location[location] || 0)),
            ),
            backgroundColor: ["#42a5f5", "#ab47bc", "#26a69a"][index],
            stack: "days",
            yAxisID: "days",
          })),
          {
            type: "line",
            label: L.rate,
            data: monthly.months.map((m) => value(m, (f) => chartRate(f.adoption_rate))),
            borderColor: "#c62828",
            backgroundColor: "#c62828",
            yAxisID: "rate",
          },
        ],
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        scales: {
          days: { stacked: true, beginAtZero: true, position: "left", title: { display: true, text: L.days } },
          x: { stacked: true },
          rate: { position: "right", min: 0, max: 100, grid: { drawOnChartArea: false } },
        },
      },
    });
  }

  async function main() {
    const fy = "?fiscal_year=" + config.fiscalYear;
    try {
      const [summary, departments, monthly] = await Promise.all([
        getJson("summary/" + fy),
        getJson("departments/"),
        getJson("monthly/" + fy),
      ]);
      drawKpi(summary);
      drawTable(summary);
      drawTimeline(departments);
      drawDepartmentChart(summary);
      drawMonthlyChart(monthly);
      document.body.dataset.ready = "1";
    } catch (error) {
      el("error").hidden = false;
      el("error").textContent = L.loadError + ": " + error.message;
      document.body.dataset.ready = "error";
    }
  }

  main();
})();
