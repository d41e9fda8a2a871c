import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { router } from './router'
import './theme'
import './styles/tokens.css'
import './styles/base.css'
import './styles/components.css'

createApp(App).use(createPinia()).use(router).mount('#app')
