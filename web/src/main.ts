import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';
import { settings } from './state/settings.svelte.ts';

settings.apply();

const target = document.getElementById('app');
if (target) mount(App, { target });
