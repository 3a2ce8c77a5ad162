export type Text = { readonly 'zh-CN': string; readonly en: string };
