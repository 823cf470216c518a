// Allure 3 settings for clausegate's report.html. `clausegate gate` and `clausegate report`
// import this file and add the run's name, output folder and history file.
export default {
  name: "clausegate",
  plugins: {
    awesome: {
      options: {
        singleFile: true,
        reportLanguage: "en",
        // law › phase › clause, as the checks are labelled (epic › feature › story)
        groupBy: ["epic", "feature", "story"],
      },
    },
  },
  // The first matching category wins. Known-open and waived checks are reported as
  // skipped, with KNOWN-OPEN or WAIVED at the start of their message.
  categories: [
    {
      id: "known-open",
      name: "Known-open violations",
      matchers: { statuses: ["skipped"], message: "KNOWN-OPEN" },
      expand: true,
    },
    { id: "waived", name: "Waived failures", matchers: { statuses: ["skipped"], message: "WAIVED" } },
    { id: "clause-failures", name: "Clause failures", matchers: { statuses: ["failed"] }, expand: true },
    { id: "harness-errors", name: "Harness errors", matchers: { statuses: ["broken"] }, expand: true },
  ],
};
